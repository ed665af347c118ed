# tests/lib/http: the HTTP/1.1 client over a scripted transport (every split, hostile answers).
$(call nc_host_test,http_test,tests/lib/http/http_test.c,http inet)
