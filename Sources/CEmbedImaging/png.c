// PNG decoding through libpng. libpng's errors longjmp to the setjmp point of the shim
// function that is running (each one sets its own); warnings are dropped.
#include "CEmbedImaging.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

struct embed_png {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t size;
    size_t offset;
    png_bytep *rows;
    int code;
    char message[EMBED_IMAGE_MESSAGE_CAPACITY];
};

static void embed_png_on_error(png_structp png, png_const_charp text) {
    embed_png *reader = (embed_png *)png_get_error_ptr(png);
    if (reader->code == EMBED_IMAGE_OK) {
        reader->code = EMBED_IMAGE_CORRUPT;
        snprintf(reader->message, sizeof reader->message, "%s", text);
    }
    png_longjmp(png, 1);
}

static void embed_png_on_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void embed_png_on_read(png_structp png, png_bytep out, size_t length) {
    embed_png *reader = (embed_png *)png_get_io_ptr(png);
    if (length > reader->size - reader->offset) {
        reader->code = EMBED_IMAGE_TRUNCATED;
        snprintf(reader->message, sizeof reader->message, "the data ends before the image is complete");
        png_error(png, reader->message);
    }
    memcpy(out, reader->data + reader->offset, length);
    reader->offset += length;
}

embed_png *embed_png_create(const uint8_t *data, size_t size) {
    embed_png *reader = calloc(1, sizeof *reader);
    if (reader == NULL) return NULL;
    reader->data = data;
    reader->size = size;
    reader->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, reader, embed_png_on_error, embed_png_on_warning);
    if (reader->png != NULL) reader->info = png_create_info_struct(reader->png);
    if (reader->png == NULL || reader->info == NULL) {
        embed_png_destroy(reader);
        return NULL;
    }
    png_set_read_fn(reader->png, reader, embed_png_on_read);
    // CRCs are checked as Pillow checks them, by the caller (before the image data only).
    png_set_crc_action(reader->png, PNG_CRC_QUIET_USE, PNG_CRC_QUIET_USE);
    return reader;
}

void embed_png_destroy(embed_png *reader) {
    if (reader == NULL) return;
    if (reader->png != NULL) png_destroy_read_struct(&reader->png, reader->info ? &reader->info : NULL, NULL);
    free(reader->rows);
    free(reader);
}

const char *embed_png_message(const embed_png *reader) { return reader->message; }

int embed_png_read_header(embed_png *reader, embed_png_header *header) {
    if (setjmp(png_jmpbuf(reader->png))) return reader->code;
    png_read_info(reader->png, reader->info);
    header->width = png_get_image_width(reader->png, reader->info);
    header->height = png_get_image_height(reader->png, reader->info);
    header->bit_depth = png_get_bit_depth(reader->png, reader->info);
    header->color_type = png_get_color_type(reader->png, reader->info);
    header->interlaced = png_get_interlace_type(reader->png, reader->info) != PNG_INTERLACE_NONE;
    header->has_transparency = png_get_valid(reader->png, reader->info, PNG_INFO_tRNS) != 0;
    return EMBED_IMAGE_OK;
}

int embed_png_read_image(embed_png *reader, int expand_transparency, int keep16, uint8_t *pixels,
                         size_t capacity, int32_t *channels, int32_t *bytes_per_sample) {
    png_structp png = reader->png;
    png_infop info = reader->info;
    if (setjmp(png_jmpbuf(png))) return reader->code;
    int color_type = png_get_color_type(png, info);
    int bit_depth = png_get_bit_depth(png, info);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (expand_transparency && png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    if (bit_depth == 16 && !keep16) png_set_strip_16(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    png_uint_32 height = png_get_image_height(png, info);
    if (height == 0 || row_bytes > capacity / height) {
        reader->code = EMBED_IMAGE_LIMIT;
        snprintf(reader->message, sizeof reader->message, "the output buffer is too small");
        return reader->code;
    }
    free(reader->rows);
    reader->rows = malloc(sizeof(png_bytep) * height);
    if (reader->rows == NULL) {
        reader->code = EMBED_IMAGE_OUT_OF_MEMORY;
        snprintf(reader->message, sizeof reader->message, "out of memory");
        return reader->code;
    }
    for (png_uint_32 y = 0; y < height; y++) reader->rows[y] = pixels + (size_t)y * row_bytes;
    *channels = png_get_channels(png, info);
    *bytes_per_sample = png_get_bit_depth(png, info) == 16 ? 2 : 1;
    png_read_image(png, reader->rows);
    return EMBED_IMAGE_OK;
}

int embed_png_read_end(embed_png *reader) {
    if (setjmp(png_jmpbuf(reader->png))) return reader->code;
    png_read_end(reader->png, reader->info);
    return EMBED_IMAGE_OK;
}

int embed_png_exif(const embed_png *reader, const uint8_t **data, uint32_t *size) {
    png_bytep exif = NULL;
    png_uint_32 length = 0;
    if (png_get_eXIf_1(reader->png, reader->info, &length, &exif) == 0 || exif == NULL) return 0;
    *data = exif;
    *size = length;
    return 1;
}

int embed_png_text_count(const embed_png *reader) {
    png_textp text = NULL;
    return png_get_text(reader->png, reader->info, &text, NULL);
}

int embed_png_text(const embed_png *reader, int index, const char **key, const char **text, size_t *length) {
    png_textp chunks = NULL;
    int count = png_get_text(reader->png, reader->info, &chunks, NULL);
    if (index < 0 || index >= count || chunks == NULL) return 0;
    *key = chunks[index].key;
    *text = chunks[index].text;
    *length = chunks[index].itxt_length > 0 ? chunks[index].itxt_length : chunks[index].text_length;
    return 1;
}
