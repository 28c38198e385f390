# Runs an example and checks both its exit status and its output:
#   cmake -DEXAMPLE=<exe> -DARG=<url> "-DEXPECT=<regex>;<regex>…" -P run_example.cmake
# (ctest's PASS_REGULAR_EXPRESSION alone would ignore the exit status.)
unset(ENV{TASKSTORE_DATABASE_URL})
execute_process(COMMAND "${EXAMPLE}" "${ARG}" OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${EXAMPLE} exited with ${rc}")
endif()
foreach(expected IN LISTS EXPECT)
  if(NOT out MATCHES "${expected}")
    message(FATAL_ERROR "${EXAMPLE}: the output does not show \"${expected}\"")
  endif()
endforeach()
