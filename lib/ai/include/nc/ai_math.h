/* Elementary functions for the AI engine, written here because lib/ has no libm.
 * Accuracy (checked against the host libm over the stated ranges by
 * tests/lib/ai/math_host_test.c):
 *   nc_ai_exp   relative error < 4e-16 for x in [-745, 709]; 0 below, +inf above.
 *   nc_ai_log   absolute error < 4e-16 for |log x| < 1, relative < 4e-16 elsewhere;
 *               x <= 0 gives -inf (x == 0) or NaN (x < 0).
 *   nc_ai_sin, nc_ai_cos  absolute error < 1e-15 for |x| <= 1e5 (Cody-Waite
 *               reduction by pi/2; larger arguments lose accuracy gradually; |x| >= 1e15 gives NaN).
 *   nc_ai_expf  within 1 ulp of the exact float result (0 below -104, +inf above 88.8;
 *               the host test checks x in [-87, 88]).
 *   nc_ai_sqrtf, nc_ai_sqrt  correctly rounded (the SSE sqrt instruction).
 * All are pure and reentrant. */
#ifndef NC_AI_MATH_H
#define NC_AI_MATH_H

double nc_ai_exp(double x);
double nc_ai_log(double x);
double nc_ai_sin(double x);
double nc_ai_cos(double x);
double nc_ai_sqrt(double x);
float nc_ai_expf(float x);
float nc_ai_sqrtf(float x);

#endif
