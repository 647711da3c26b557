// CMallocArenas is a header-only shim (see include/CMallocArenas.h); SwiftPM
// wants one source file in a C target.
#include "CMallocArenas.h"
