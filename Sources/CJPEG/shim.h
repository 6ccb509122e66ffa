// jpeglib.h needs <stdio.h> (FILE, size_t) before it.
#include <stdio.h>
#include <jpeglib.h>
#include <jerror.h>
