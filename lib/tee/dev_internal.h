/* Shared by the development backend's device side (dev.c) and its
 * verifier (dev_verify.c). */
#ifndef LIB_TEE_DEV_INTERNAL_H
#define LIB_TEE_DEV_INTERNAL_H

#include <nc/tee_dev.h>

/* Largest postcard(Body) (varints at their longest) and evidence. */
enum {
	DEV_BODY_BYTES = 4 + 1 + 5 + 2 * NC_TEE_MEASUREMENT_BYTES + 5 + NC_TEE_REPORT_DATA_BYTES,
	DEV_EVIDENCE_BYTES = DEV_BODY_BYTES + NC_TEE_SIG_BYTES + NC_TEE_DEV_CERT_BYTES,
};

/* postcard(Body) of report's fields into out (DEV_BODY_BYTES); returns its length. */
size_t dev_encode_body(const nc_tee_report_t *report, uint8_t out[DEV_BODY_BYTES]);

#endif
