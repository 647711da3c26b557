// The header is all: see include/CZlib.h.
