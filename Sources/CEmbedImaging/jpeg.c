// JPEG decoding through libjpeg(-turbo). The library's fatal errors longjmp back to the
// setjmp point of the shim function that is running; nothing here returns to Swift with a
// live jump target.
#include "CEmbedImaging.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

typedef struct embed_jpeg_error {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    int code;
    char *message;
} embed_jpeg_error;

typedef struct embed_jpeg_progress {
    struct jpeg_progress_mgr base;
    uint32_t max_scans;
} embed_jpeg_progress;

static void embed_jpeg_fail(j_common_ptr cinfo, int code) {
    embed_jpeg_error *error = (embed_jpeg_error *)cinfo->err;
    error->code = code;
    (*cinfo->err->format_message)(cinfo, error->message);
    longjmp(error->jump, 1);
}

static void embed_jpeg_error_exit(j_common_ptr cinfo) {
    int code = EMBED_IMAGE_CORRUPT;
    switch (cinfo->err->msg_code) {
    case JERR_OUT_OF_MEMORY: code = EMBED_IMAGE_OUT_OF_MEMORY; break;
    case JERR_BAD_PRECISION:
    case JERR_CONVERSION_NOTIMPL:
    case JERR_NOT_COMPILED: code = EMBED_IMAGE_UNSUPPORTED; break;
    default: break;
    }
    embed_jpeg_fail(cinfo, code);
}

// Warnings are ignored (libjpeg recovers from the corrupt data), except the end of the data:
// libjpeg would pad the image with gray, Pillow refuses such a file, and so do we.
static void embed_jpeg_emit_message(j_common_ptr cinfo, int level) {
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        embed_jpeg_fail(cinfo, EMBED_IMAGE_TRUNCATED);
    }
}

static void embed_jpeg_progress_monitor(j_common_ptr cinfo) {
    embed_jpeg_progress *progress = (embed_jpeg_progress *)cinfo->progress;
    j_decompress_ptr decompress = (j_decompress_ptr)cinfo;
    if (cinfo->is_decompressor && (uint32_t)decompress->input_scan_number > progress->max_scans) {
        embed_jpeg_error *error = (embed_jpeg_error *)cinfo->err;
        error->code = EMBED_IMAGE_LIMIT;
        snprintf(error->message, EMBED_IMAGE_MESSAGE_CAPACITY, "more than %u scans", progress->max_scans);
        longjmp(error->jump, 1);
    }
}

// Everything a decode touches lives in this struct, in the caller's frame: the function
// that calls setjmp gets only a pointer to it, so after a longjmp nothing it reads is a
// local variable changed since setjmp (whose value C would leave indeterminate).
typedef struct embed_jpeg_state {
    struct jpeg_decompress_struct cinfo;
    embed_jpeg_error error;
    embed_jpeg_progress progress;
} embed_jpeg_state;

static void embed_jpeg_setup(embed_jpeg_state *state, char *message, uint32_t max_scans) {
    memset(state, 0, sizeof *state);
    state->cinfo.err = jpeg_std_error(&state->error.base);
    state->error.base.error_exit = embed_jpeg_error_exit;
    state->error.base.emit_message = embed_jpeg_emit_message;
    state->error.code = EMBED_IMAGE_OK;
    state->error.message = message;
    state->progress.base.progress_monitor = embed_jpeg_progress_monitor;
    state->progress.max_scans = max_scans;
    message[0] = '\0';
}

static int embed_jpeg_run_header(embed_jpeg_state *state, const uint8_t *data, size_t size,
                                 embed_jpeg_header *header) {
    if (setjmp(state->error.jump)) {
        jpeg_destroy_decompress(&state->cinfo);
        return state->error.code;
    }
    jpeg_create_decompress(&state->cinfo);
    jpeg_mem_src(&state->cinfo, data, (unsigned long)size);
    jpeg_read_header(&state->cinfo, TRUE);
    header->width = state->cinfo.image_width;
    header->height = state->cinfo.image_height;
    header->components = state->cinfo.num_components;
    header->color_space = (int32_t)state->cinfo.jpeg_color_space;
    header->progressive = state->cinfo.progressive_mode ? 1 : 0;
    jpeg_destroy_decompress(&state->cinfo);
    return EMBED_IMAGE_OK;
}

int embed_jpeg_read_header(const uint8_t *data, size_t size, embed_jpeg_header *header, char *message) {
    embed_jpeg_state state;
    embed_jpeg_setup(&state, message, 0);
    return embed_jpeg_run_header(&state, data, size, header);
}

static int embed_jpeg_run_decode(embed_jpeg_state *state, const uint8_t *data, size_t size, int cmyk,
                                 uint8_t *pixels, size_t capacity) {
    j_decompress_ptr cinfo = &state->cinfo;
    if (setjmp(state->error.jump)) {
        jpeg_destroy_decompress(&state->cinfo);
        return state->error.code;
    }
    jpeg_create_decompress(cinfo);
    cinfo->progress = &state->progress.base;
    jpeg_mem_src(cinfo, data, (unsigned long)size);
    jpeg_read_header(cinfo, TRUE);
    cinfo->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    jpeg_start_decompress(cinfo);
    size_t stride = (size_t)cinfo->output_width * (size_t)cinfo->output_components;
    if (cinfo->output_height != 0 && stride > capacity / cinfo->output_height) {
        snprintf(state->error.message, EMBED_IMAGE_MESSAGE_CAPACITY, "the output buffer is too small");
        jpeg_destroy_decompress(cinfo);
        return EMBED_IMAGE_LIMIT;
    }
    while (cinfo->output_scanline < cinfo->output_height) {
        JSAMPROW row = pixels + (size_t)cinfo->output_scanline * stride;
        jpeg_read_scanlines(cinfo, &row, 1);
    }
    // Reads up to the end marker: a file cut after the last scan is refused here, as Pillow does.
    jpeg_finish_decompress(cinfo);
    jpeg_destroy_decompress(cinfo);
    return EMBED_IMAGE_OK;
}

int embed_jpeg_decode(const uint8_t *data, size_t size, int cmyk, uint32_t max_scans,
                      uint8_t *pixels, size_t capacity, char *message) {
    embed_jpeg_state state;
    embed_jpeg_setup(&state, message, max_scans);
    return embed_jpeg_run_decode(&state, data, size, cmyk, pixels, capacity);
}
