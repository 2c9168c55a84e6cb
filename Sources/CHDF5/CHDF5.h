#ifndef TOPIARY_CHDF5_H
#define TOPIARY_CHDF5_H

/* libhdf5 spells most constants as macros over global ids that Swift cannot import;
   these inline shims give them names Swift can call. */
#include <hdf5.h>
#include <stdio.h>
#include <string.h>

static inline hid_t chdf5_p_default(void) { return H5P_DEFAULT; }
static inline hid_t chdf5_s_all(void) { return H5S_ALL; }
static inline hid_t chdf5_e_default(void) { return H5E_DEFAULT; }
static inline hid_t chdf5_p_file_access(void) { return H5P_FILE_ACCESS; }
static inline unsigned chdf5_f_acc_rdonly(void) { return H5F_ACC_RDONLY; }

static inline hid_t chdf5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t chdf5_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t chdf5_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t chdf5_c_s1(void) { return H5T_C_S1; }
static inline size_t chdf5_variable(void) { return H5T_VARIABLE; }

/* Turns off libhdf5's printing of its error stack to stderr; errors are collected instead. */
static inline herr_t chdf5_silence_errors(void) { return H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

/* Appends "description (in function)" lines of the current error stack to `buffer`, innermost
   error first, separated by newlines; always NUL-terminates. */
typedef struct chdf5_error_buffer { char *data; size_t capacity; size_t used; } chdf5_error_buffer;

static inline herr_t chdf5_error_walker(unsigned n, const H5E_error2_t *err, void *client) {
    (void)n;
    chdf5_error_buffer *b = (chdf5_error_buffer *)client;
    if (b->used + 1 >= b->capacity) return 0;
    int written = snprintf(b->data + b->used, b->capacity - b->used, "%s%s (%s)",
                           b->used ? "\n" : "", err->desc ? err->desc : "unknown error",
                           err->func_name ? err->func_name : "?");
    if (written > 0) {
        size_t w = (size_t)written;
        b->used = (b->used + w < b->capacity) ? b->used + w : b->capacity - 1;
    }
    return 0;
}

static inline void chdf5_collect_errors(char *buffer, size_t capacity) {
    if (capacity == 0) return;
    buffer[0] = 0;
    chdf5_error_buffer b = { buffer, capacity, 0 };
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, chdf5_error_walker, &b);
    H5Eclear2(H5E_DEFAULT);
}

/* Frees the strings H5Aread/H5Dread allocated for variable-length string buffers. */
static inline herr_t chdf5_reclaim(hid_t type, hid_t space, void *buffer) {
#if H5_VERSION_GE(1, 12, 0)
    return H5Treclaim(type, space, H5P_DEFAULT, buffer);
#else
    return H5Dvlen_reclaim(type, space, H5P_DEFAULT, buffer);
#endif
}

/* An identity of the object `id` refers to within its file (its header address), so that two
   hard links to one group compare equal. Returns a negative value on failure. */
static inline herr_t chdf5_object_address(hid_t id, unsigned long long *address) {
#if H5_VERSION_GE(1, 12, 0)
    H5O_info2_t info;
    if (H5Oget_info3(id, &info, H5O_INFO_BASIC) < 0) return -1;
    unsigned long long value = 0;
    memcpy(&value, &info.token, sizeof value < sizeof info.token ? sizeof value : sizeof info.token);
    *address = value;
#else
    H5O_info_t info;
    if (H5Oget_info2(id, &info, H5O_INFO_BASIC) < 0) return -1;
    *address = (unsigned long long)info.addr;
#endif
    return 0;
}

/* Version of the linked library, for diagnostics. */
static inline void chdf5_library_version(unsigned *major, unsigned *minor, unsigned *release) {
    H5get_libversion(major, minor, release);
}

#endif
