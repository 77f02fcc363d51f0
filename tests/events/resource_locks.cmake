# Included by CTest after the gtest discovery files of this directory (TEST_INCLUDE_FILES): the
# suites that use the shared RabbitMQ -- the outage test stops and starts it, another closes its own
# connection through rabbitmqctl -- never run at the same time under `ctest -j`.
foreach(list events_amqp_test_TESTS events_outage_test_TESTS)
  if(DEFINED ${list} AND NOT "${${list}}" STREQUAL "")
    set_tests_properties(${${list}} PROPERTIES RESOURCE_LOCK contentgen_rabbitmq)
  endif()
endforeach()
