# tiendo_embed_text(TARGET <target> FILE <file> SYMBOL <ns::Function>
#                   HEADER <header>)
#
# Compiles the text of FILE into TARGET as
#   const std::string& ns::Function();
# declared in HEADER (included as written). The text goes verbatim into a
# raw string literal; CMake re-runs when the file changes, which regenerates
# the source.
function(tiendo_embed_text)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "TARGET;FILE;SYMBOL;HEADER" "")
  foreach(required TARGET FILE SYMBOL HEADER)
    if(NOT ARG_${required})
      message(FATAL_ERROR "tiendo_embed_text: ${required} is required")
    endif()
  endforeach()
  if(NOT ARG_SYMBOL MATCHES "^(.+)::([A-Za-z_][A-Za-z0-9_]*)$")
    message(FATAL_ERROR
            "tiendo_embed_text: SYMBOL ${ARG_SYMBOL} is not ns::Function")
  endif()
  set(EMBED_NAMESPACE ${CMAKE_MATCH_1})
  set(EMBED_FUNCTION ${CMAKE_MATCH_2})
  set(EMBED_HEADER ${ARG_HEADER})

  cmake_path(ABSOLUTE_PATH ARG_FILE NORMALIZE OUTPUT_VARIABLE file)
  cmake_path(RELATIVE_PATH file BASE_DIRECTORY ${PROJECT_SOURCE_DIR}
             OUTPUT_VARIABLE EMBED_SOURCE)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
  file(READ ${file} EMBED_TEXT)
  set(EMBED_DELIMITER tiendo_text)
  string(FIND "${EMBED_TEXT}" ")${EMBED_DELIMITER}\"" found)
  if(NOT found EQUAL -1)
    message(FATAL_ERROR "${EMBED_SOURCE} contains the raw string delimiter "
                        ")${EMBED_DELIMITER}\"")
  endif()

  cmake_path(GET file FILENAME name)
  string(REPLACE "." "_" name ${name})
  set(generated ${CMAKE_CURRENT_BINARY_DIR}/${name}.cc)
  configure_file(${CMAKE_CURRENT_FUNCTION_LIST_DIR}/embedded_text.cc.in
                 ${generated} @ONLY)
  target_sources(${ARG_TARGET} PRIVATE ${generated})
endfunction()
