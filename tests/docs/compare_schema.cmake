# Runs `taskstore schema --dialect DIALECT` into ACTUAL and fails, naming the
# command that regenerates it, unless it equals the checked-in EXPECTED.
execute_process(COMMAND ${CLI} schema --dialect ${DIALECT} OUTPUT_FILE ${ACTUAL} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${CLI} schema --dialect ${DIALECT} failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${EXPECTED} ${ACTUAL} RESULT_VARIABLE differs)
if(differs)
  execute_process(COMMAND diff -u ${EXPECTED} ${ACTUAL})
  message(FATAL_ERROR "${EXPECTED} is out of date with the code; regenerate it with\n"
                      "  taskstore schema --dialect ${DIALECT} > docs/schema/${DIALECT}.sql")
endif()
message(STATUS "${EXPECTED} matches `taskstore schema --dialect ${DIALECT}`")
