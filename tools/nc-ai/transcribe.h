/* nc-ai's transcribe command (transcribe.c). */
#ifndef NC_AI_TRANSCRIBE_H
#define NC_AI_TRANSCRIBE_H

/* argv: the words after "transcribe". Returns the exit status (2: usage). */
int nc_ai_cmd_transcribe(int argc, char **argv);

#endif
