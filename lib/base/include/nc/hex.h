/* Hexadecimal digits, for the parsers of addresses, escapes, keys and sizes. */
#ifndef NC_HEX_H
#define NC_HEX_H

/* The value 0..15 of the hexadecimal digit c ('0'-'9', 'a'-'f', 'A'-'F'),
 * or -1 when c is anything else (including values outside a char). */
int nc_hex_digit_value(int c);

#endif
