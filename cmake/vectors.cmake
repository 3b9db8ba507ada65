# YAML test vectors as ctest tests (included by CMakeLists.txt when BUILD_TESTING).
# Every vectors/**/*.yaml is its own test "vector/<path>" with the label
# "vectors" (ctest -L vectors), run with the driver checker on (--check); the glob re-runs at build time, so adding a file
# re-configures by itself. vectors/malformed is also checked as a whole: every
# file there must be rejected with the message in its "# expect-error:" line.
if(NOT TARGET smmuv3-run)
  message(STATUS "smmuv3-run not built (libyaml missing?): vector tests skipped")
  return()
endif()

file(GLOB_RECURSE SMMUV3_VECTOR_FILES CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/vectors/*.yaml ${PROJECT_SOURCE_DIR}/vectors/*.yml)
list(SORT SMMUV3_VECTOR_FILES)
foreach(vec ${SMMUV3_VECTOR_FILES})
  file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR}/vectors ${vec})
  string(REGEX REPLACE "\\.ya?ml$" "" tname "${rel}")
  add_test(NAME vector/${tname} COMMAND smmuv3-run --check ${vec} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(vector/${tname} PROPERTIES LABELS vectors)
endforeach()

if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/vectors/malformed)
  add_test(NAME vectors-malformed
           COMMAND smmuv3-run --expect-invalid ${PROJECT_SOURCE_DIR}/vectors/malformed
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(vectors-malformed PROPERTIES LABELS "vectors;malformed")
endif()

# The decoder tool: a raw event record and a command decode into named fields.
if(TARGET smmuv3-decode)
  add_test(NAME smmuv3-decode-event
           COMMAND smmuv3-decode event 0x0000000800000010 0x0000000800000000 0x8080604567)
  set_tests_properties(smmuv3-decode-event PROPERTIES LABELS unit
    PASS_REGULAR_EXPRESSION "eventid +0x10 +dw0\\[7:0\\] +F_TRANSLATION.*streamid +0x8 .*inputaddr +0x8080604567")
  add_test(NAME smmuv3-decode-command COMMAND smmuv3-decode cmd 0x0000000800000003 1)
  set_tests_properties(smmuv3-decode-command PROPERTIES LABELS unit
    PASS_REGULAR_EXPRESSION "CMD_CFGI_STE \\(16 bytes\\).*sid +0x8 .*leaf +0x1 ")
  add_test(NAME smmuv3-decode-unknown COMMAND smmuv3-decode nosuchthing 0)
  set_tests_properties(smmuv3-decode-unknown PROPERTIES LABELS unit WILL_FAIL TRUE)
endif()
