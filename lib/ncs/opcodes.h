/* The one table of ncScript instructions (Lua's lopcodes.h idea). Stack machine
 * with resolved local slots: each frame has n_slots locals (parameters first)
 * followed by an operand stack. Instruction = op, a (u16), b (u32).
 * "push"/"pop" refer to the operand stack; "slot" to a frame local. */
#ifndef NCS_OPCODES_H
#define NCS_OPCODES_H

#define NCS_OPCODES(X)                                                              \
	X(PUSHK)      /* push k[b] */                                               \
	X(PUSHI)      /* push Int (int32)b */                                       \
	X(PUSHUNIT)   /* push () */                                                 \
	X(PUSHBOOL)   /* push Bool b */                                             \
	X(PUSHFN)     /* push function value fns[b] */                              \
	X(PUSHTAG)    /* push payload-less variant b */                             \
	X(LOAD)       /* push slot a */                                             \
	X(LOADCAP)    /* push capture b of the running closure (at base[-1]) */     \
	X(CLOSURE)    /* pop a captured values, push a closure of fns[b] */         \
	X(STORE)      /* pop into slot a */                                         \
	X(CLEAR)      /* slots a .. a+b-1 = () (end of scope) */                    \
	X(POP)        /* drop b values */                                           \
	X(SLIDE)      /* keep top, drop the b values below it */                    \
	X(ADD) X(SUB) X(MUL) X(DIV) X(MOD)                                          \
	X(BAND) X(BOR) X(BXOR) X(SHL) X(SHR) /* Int bit operations (and Bool & | ^) */ \
	X(EQ) X(NE) X(LT) X(LE) X(GT) X(GE)                                         \
	X(NEG) X(NOT)                                                               \
	X(ARITHLI)    /* push slot a <op b>>24> imm (low 24 bits of b, signed) */   \
	X(INCLI)      /* slot a += (int32)b, in place */                            \
	X(JMP)        /* jump to b */                                               \
	X(JMPF)       /* pop Bool; jump to b when false */                          \
	X(JMPT)       /* pop Bool; jump to b when true */                           \
	X(CALL)       /* call the function or closure value below a args */         \
	X(CALLG)      /* call fns[b] with a args */                                 \
	X(CALLB)      /* call builtin b with a args */                              \
	X(METHOD)     /* method site b; receiver slot a, or on the stack if a=0xffff */ \
	X(CALLM)      /* as METHOD, but a struct receiver calls its impl method */   \
	X(RET)        /* return top */                                              \
	X(ARRAY)      /* pop b values, push an array */                             \
	X(ARRAYREP)   /* pop count, pop value, push [value; count] */               \
	X(TUPLE)      /* pop b values, push a tuple */                              \
	X(RANGE)      /* pop hi, lo; push the array lo..hi (a=1: inclusive) */      \
	X(STRUCT)     /* pop fields in declaration order, push struct def b */      \
	X(VARIANT)    /* pop a payload values, push variant b */                    \
	X(GETFIELD)   /* pop struct, push field site b */                           \
	X(GETFIELDL)  /* push field site b of the struct in slot a */              \
	X(SETFIELDL)  /* pop value into field site b of slot a */                   \
	X(GETINDEX)   /* pop index, pop container, push element */                  \
	X(SETINDEXL)  /* pop value, pop index; slot a [index] = value */            \
	X(TUPLEGET)   /* pop tuple, push element b */                               \
	X(TRY)        /* top Ok(v)/Some(v) -> v; Err/None -> return it */           \
	X(ISVAR)      /* push: slot a is variant b */                               \
	X(ISTUPLE)    /* push: slot a is a tuple of b elements (b=0: also ()) */    \
	X(ISSTRUCT)   /* push: slot a is a struct of def b */                       \
	X(PART)       /* push element b of the variant/tuple/struct in slot a */    \
	X(NOMATCH)    /* runtime error: no pattern matched */                       \
	X(FORRANGE)   /* slot a < slot a+1, else jump b (loop counter, end) */      \
	X(FORRANGEI)  /* slot a <= slot a+1, else jump b (inclusive range) */      \
	X(FORARR)     /* slot a array, slot a+1 index: push next or jump b */       \
	X(CAST)       /* convert top: a=0 Int, 1 Float, 2 String */                 \
	X(ARITHI)     /* top = top <op a> (int32)b, op a one of ADD..MOD */         \
	X(CMPI)       /* top = top <op a> (int32)b, op a one of EQ..GE */           \
	X(FORSTEP)    /* if slot a < slot a+1: slot a += 1, jump b (exclusive) */   \
	X(FORSTEPI)   /* same for inclusive ranges (the test runs before the step) */ \
	X(CHECKSTRUCT)/* top must be struct def b (struct update base) */

typedef enum {
#define NCS_OP_ENUM(name) OP_##name,
	NCS_OPCODES(NCS_OP_ENUM)
#undef NCS_OP_ENUM
	OP_COUNT_
} ncs_op_t;

#endif
