# tools/nc-fs: inspect and change ext3 images on the host with lib/fs.
$(call nc_host_prog,nc-fs,tools/nc-fs/main.c tools/nc-fs/host_dev.c,fs base,rel)
$(call nc_host_prog,nc-fs,tools/nc-fs/main.c tools/nc-fs/host_dev.c,fs base,host)
