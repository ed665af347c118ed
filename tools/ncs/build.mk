# tools/ncs: the ncScript host command (run, check, REPL).
$(call nc_host_prog,ncs,tools/ncs/ncs.c tools/ncs/repl.c,ncs http inet scope base,rel)
$(call nc_host_prog,ncs,tools/ncs/ncs.c tools/ncs/repl.c,ncs http inet scope base,host)
