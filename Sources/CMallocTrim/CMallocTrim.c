// CMallocTrim is a header-only shim (see include/CMallocTrim.h); SwiftPM
// wants one source file in a C target.
#include "CMallocTrim.h"
