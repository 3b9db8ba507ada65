/* SPDX-License-Identifier: MIT */
/* Symbol export: the library builds with hidden visibility; public entry points carry SMMUV3_API. */
#ifndef SMMUV3_EXPORT_H
#define SMMUV3_EXPORT_H
#if defined(_WIN32)
#  if defined(SMMUV3_BUILDING_SHARED)
#    define SMMUV3_API __declspec(dllexport)
#  else
#    define SMMUV3_API
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define SMMUV3_API __attribute__((visibility("default")))
#else
#  define SMMUV3_API
#endif
#endif
