# Runs `taskstore schema --dialect DIALECT [--flavor FLAVOR]` into ACTUAL and
# fails, naming the command that regenerates it, unless it equals the
# checked-in EXPECTED.
set(command schema --dialect ${DIALECT})
if(FLAVOR)
  list(APPEND command --flavor ${FLAVOR})
endif()
string(JOIN " " shown ${command})
execute_process(COMMAND ${CLI} ${command} OUTPUT_FILE ${ACTUAL} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${CLI} ${shown} failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${EXPECTED} ${ACTUAL} RESULT_VARIABLE differs)
if(differs)
  execute_process(COMMAND diff -u ${EXPECTED} ${ACTUAL})
  file(RELATIVE_PATH expected_path ${CMAKE_CURRENT_LIST_DIR}/../.. ${EXPECTED})
  message(FATAL_ERROR "${EXPECTED} is out of date with the code; regenerate it with\n"
                      "  taskstore ${shown} > ${expected_path}")
endif()
message(STATUS "${EXPECTED} matches `taskstore ${shown}`")
