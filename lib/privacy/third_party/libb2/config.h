/* Stand-in for the config.h that libb2's configure would write; included by
 * blake2-impl.h. Empty: lib/privacy/build.mk passes the configuration
 * (NATIVE_LITTLE_ENDIAN, SUFFIX) as flags. */
