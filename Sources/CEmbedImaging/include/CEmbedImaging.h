// The C side of EmbedImaging: libjpeg and libpng report fatal errors by longjmp, which must
// never cross a Swift frame. Every function here that calls into those libraries sets its own
// setjmp point, so a longjmp only ever lands in the C function that is still running, which
// then returns an error code and a message. Swift sees plain C types only.
#ifndef CEMBEDIMAGING_H
#define CEMBEDIMAGING_H

#include <stddef.h>
#include <stdint.h>

/// Result codes of every shim function.
enum {
    EMBED_IMAGE_OK = 0,
    EMBED_IMAGE_CORRUPT = 1,
    EMBED_IMAGE_TRUNCATED = 2,
    EMBED_IMAGE_UNSUPPORTED = 3,
    EMBED_IMAGE_OUT_OF_MEMORY = 4,
    EMBED_IMAGE_LIMIT = 5,
};

/// Size of the message buffers the caller passes in (a message is always NUL-terminated).
#define EMBED_IMAGE_MESSAGE_CAPACITY 256

/// What a JPEG's header says.
typedef struct embed_jpeg_header {
    uint32_t width;
    uint32_t height;
    int32_t components;   // 1, 3 or 4 for the images we decode
    int32_t color_space;  // the file's J_COLOR_SPACE (1 gray, 2 RGB, 3 YCbCr, 4 CMYK, 5 YCCK)
    int32_t progressive;
} embed_jpeg_header;

/// Reads the JPEG header of `data` (markers up to the first scan).
int embed_jpeg_read_header(const uint8_t *data, size_t size, embed_jpeg_header *header, char *message);

/// Decodes the whole JPEG into `pixels`, 3 bytes per pixel (RGB) or, with `cmyk`, 4 (CMYK as
/// libjpeg outputs it). Default libjpeg settings (ISLOW DCT, fancy upsampling, block
/// smoothing). Fails on a premature end of data and past `max_scans` progressive scans.
int embed_jpeg_decode(const uint8_t *data, size_t size, int cmyk, uint32_t max_scans,
                      uint8_t *pixels, size_t capacity, char *message);

/// A PNG reader over caller-owned bytes, which must outlive it.
typedef struct embed_png embed_png;

/// What a PNG's IHDR and tRNS say.
typedef struct embed_png_header {
    uint32_t width;
    uint32_t height;
    int32_t bit_depth;
    int32_t color_type;  // PNG_COLOR_TYPE_*: 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA
    int32_t interlaced;
    int32_t has_transparency;  // a tRNS chunk
} embed_png_header;

/// Creates a reader, or NULL when memory runs out.
embed_png *embed_png_create(const uint8_t *data, size_t size);
/// Frees the reader and everything libpng allocated for it.
void embed_png_destroy(embed_png *png);
/// The message of the last error.
const char *embed_png_message(const embed_png *png);
/// Reads the chunks up to the image data.
int embed_png_read_header(embed_png *png, embed_png_header *header);
/// Decodes the image: palette expanded to RGB, gray below 8 bits scaled to 8, 16-bit samples
/// cut to their high byte unless `keep16`, tRNS turned into an alpha channel only with
/// `expand_transparency`. Writes `*channels` (1 to 4) and `*bytes_per_sample` (1 or 2).
int embed_png_read_image(embed_png *png, int expand_transparency, int keep16, uint8_t *pixels,
                         size_t capacity, int32_t *channels, int32_t *bytes_per_sample);
/// Reads the chunks after the image data (a late eXIf or text chunk).
int embed_png_read_end(embed_png *png);
/// The eXIf chunk's bytes, valid until the reader is destroyed; returns 0 when there is none.
int embed_png_exif(const embed_png *png, const uint8_t **data, uint32_t *size);
/// The number of text chunks (tEXt, zTXt, iTXt) read so far.
int embed_png_text_count(const embed_png *png);
/// Text chunk `index`: keyword and (decompressed) text, valid until the reader is destroyed.
int embed_png_text(const embed_png *png, int index, const char **key, const char **text, size_t *length);

#endif
