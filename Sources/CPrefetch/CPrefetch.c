// CPrefetch is a header-only shim (see include/CPrefetch.h); SwiftPM wants one
// source file in a C target.
#include "CPrefetch.h"
