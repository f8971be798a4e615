//===- Opts.td - Options of wcl-readobj -----------------------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// wcl-readobj's options, in a table like the driver's (and llvm-readobj's),
// so that --help is generated and every option is spelled with one or two
// dashes.
//
//===----------------------------------------------------------------------===//

include "llvm/Option/OptParser.td"

class F<string name, string help> : Flag<["--", "-"], name>, HelpText<help>;

def help : F<"help", "Print this help">;
def : Flag<["-"], "h">, Alias<help>;
def version : F<"version", "Print the version">;
def json : F<"json", "Print the dump as JSON">;
def no_offsets : F<"no-offsets", "Do not print file offsets, for dumps that "
                   "stay stable when unrelated bytes change">;
def section_data : F<"section-data", "Print section contents, function "
                     "bodies and data segments in hex">;
def validate : F<"validate", "Validate each file first (every feature on); "
                 "an invalid file is an error, and is still dumped">;
def wit : F<"wit", "Print the WIT world of each component-type section of a "
            "core module">;
