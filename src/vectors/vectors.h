/* SPDX-License-Identifier: MIT */
/* The vectors library's API lives in include/smmuv3/vectors.h. */
#ifndef SMMUV3_SRC_VECTORS_H
#define SMMUV3_SRC_VECTORS_H
#include <smmuv3/vectors.h>
#endif
