# lib/wire: the postcard wire format, encoder and strict decoder over caller buffers.
$(call nc_lib,wire,lib/wire/wire.c lib/wire/writer.c lib/wire/reader.c,host rel kernel user)
