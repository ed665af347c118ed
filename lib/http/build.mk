# lib/http: the HTTP/1.1 client shared by the shell's fetch and ncScript's
# net::fetch (URLs, response heads, one exchange over a caller's transport).
NC_HTTP_SRC := lib/http/url.c lib/http/head.c lib/http/request.c lib/http/client.c
$(call nc_lib,http,$(NC_HTTP_SRC),host rel user wasm,inet)
