/* SPDX-License-Identifier: MIT */
/* tests/test_conformance_linux_fwb.c with the driver checker on: no report
 * (helpers/lx_clean.h). */
#include "lx_clean.h"
#include "test_conformance_linux_fwb.c"
