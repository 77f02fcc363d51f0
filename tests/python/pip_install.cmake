# CTest fixture: `pip install --no-build-isolation` of bindings/python (offline: --no-index) into a
# private target directory, from a fresh copy of the sources.
#   -DPYTHON=... -DSOURCE=bindings/python -DCOPY=<scratch copy> -DSITE=<target directory>
file(REMOVE_RECURSE ${COPY} ${SITE})
file(COPY ${SOURCE}/ DESTINATION ${COPY} PATTERN "build" EXCLUDE PATTERN "*.egg-info" EXCLUDE
     PATTERN "__pycache__" EXCLUDE)
execute_process(COMMAND ${PYTHON} -m pip install --no-build-isolation --no-deps --no-index --quiet
                        --target ${SITE} ${COPY}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pip install --no-build-isolation ${SOURCE} failed (${rc})")
endif()
