//===- Options.td - Options of the wasm-component flavor ------------------===//
//
// Part of wcl, the WebAssembly Component Linker. Licensed under the Apache
// License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The options wcl's wasm-component flavor owns: those of
// `wasm-tools component link` / `component new` and of wasm-component-ld,
// plus wcl's own. Helper classes mirror lld's so options spell the same way:
// every long option takes one or two dashes, and values go after `=` or as
// the next argument.
//
//===----------------------------------------------------------------------===//

include "llvm/Option/OptParser.td"

class F<string name> : Flag<["--", "-"], name>;
class J<string name> : Joined<["--", "-"], name>;

multiclass Eq<string name, string help, string meta = "<value>"> {
  def NAME : Separate<["--", "-"], name>;
  def NAME #_eq : Joined<["--", "-"], name #"=">,
                  Alias<!cast<Separate>(NAME)>,
                  HelpText<help>,
                  MetaVarName<meta>;
}

// A boolean that is on when given bare, or set explicitly with =true/=false
// (the clap style wasm-tools and wasm-component-ld use).
multiclass BoolEq<string name, string help> {
  def NAME : Flag<["--", "-"], name>, HelpText<help>;
  def NAME #_eq : Joined<["--", "-"], name #"=">,
                  HelpText<help>,
                  MetaVarName<"<true|false>">,
                  Flags<[HelpHidden]>;
}

// Options wasm-ld has too: when wasm-ld runs, they reach it exactly as
// spelled, besides doing what they do for wcl (readConfigs reads the flag).
def WasmLdToo : OptionFlag;

def grp_component : OptionGroup<"component">,
                    HelpText<"COMPONENT OPTIONS">;
def grp_wcl : OptionGroup<"wcl">, HelpText<"WCL OPTIONS">;

// Output and driver behaviour.
def o : JoinedOrSeparate<["-"], "o">,
        MetaVarName<"<path>">,
        HelpText<"Path of the output file">;
defm output : Eq<"output", "Path of the output file">;
def help : F<"help">, HelpText<"Print option help">;
def help_short : Flag<["-"], "h">, Alias<help>;
def version : F<"version">, HelpText<"Display the version number and exit">;
def v : Flag<["-"], "v">, HelpText<"Display the version number">;
def V : Flag<["-"], "V">, Alias<version>;
def verbose : F<"verbose">,
              HelpText<"Print the phases of the link">,
              Flags<[WasmLdToo]>;
def rsp_quoting : J<"rsp-quoting=">,
                  MetaVarName<"[posix,windows]">,
                  HelpText<"Quoting style for response files">,
                  Flags<[WasmLdToo]>;
def error_limit : J<"error-limit=">,
                  HelpText<"Maximum number of errors to emit before "
                           "stopping (0 = no limit)">,
                  Flags<[WasmLdToo]>;
def threads : J<"threads=">,
              MetaVarName<"<N>">,
              HelpText<"Number of threads (default: all cores); the output "
                       "does not depend on it">,
              Flags<[WasmLdToo]>;
def fatal_warnings : F<"fatal-warnings">,
                     HelpText<"Treat warnings as errors">,
                     Flags<[WasmLdToo]>;
def no_fatal_warnings : F<"no-fatal-warnings">,
                        HelpText<"Do not treat warnings as errors (default)">,
                        Flags<[WasmLdToo]>;

// `wasm-tools component link` and `component new`.
defm dl_openable : Eq<"dl-openable",
                      "Library that may be opened with dlopen ([NAME=]FILE)">,
                   Group<grp_component>;
defm adapt : Eq<"adapt", "Adapter module to link in ([NAME=]FILE)">,
             Group<grp_component>;
def stub_missing_functions
    : F<"stub-missing-functions">,
      Group<grp_component>,
      HelpText<"Generate trapping stubs for functions no library defines">;
def use_built_in_libdl
    : F<"use-built-in-libdl">,
      Group<grp_component>,
      HelpText<"Link wcl's own libdl when --dl-openable libraries are used">;
defm stack_size : Eq<"stack-size", "Size of the stack of the synthesized "
                                   "env module, in bytes">,
                  Group<grp_component>;
defm debug_names : BoolEq<"debug-names",
                          "Emit the component name section (default: true)">,
                   Group<grp_component>;
defm validate : BoolEq<"validate", "Validate the output component">,
                Group<grp_component>;
defm validate_component : BoolEq<"validate-component",
                                 "Same as --validate (wasm-component-ld)">,
                          Group<grp_component>;
def skip_validation : F<"skip-validation">,
                      Group<grp_component>,
                      HelpText<"Do not validate the output (wasm-tools "
                               "component link)">;
defm merge_imports_based_on_semver
    : BoolEq<"merge-imports-based-on-semver",
             "Merge imports whose versions are semver-compatible "
             "(default: true)">,
      Group<grp_component>;
def reject_legacy_names : F<"reject-legacy-names">,
                          Group<grp_component>,
                          HelpText<"Reject core import/export names that use "
                                   "the legacy mangling">;
def realloc_via_memory_grow
    : F<"realloc-via-memory-grow">,
      Group<grp_component>,
      HelpText<"Let adapters allocate with memory.grow instead of "
               "cabi_realloc">;
defm return_call_ref : BoolEq<"return-call-ref",
                              "Use return_call_ref through globals instead "
                              "of call_indirect in shims">,
                       Group<grp_component>;
defm import_name : Eq<"import-name", "Rename an import (OLD=NEW)">,
                   Group<grp_component>;

// wasm-component-ld.
defm component_type : Eq<"component-type",
                         "WIT file whose world is merged into the output">,
                      Group<grp_component>;
defm string_encoding : Eq<"string-encoding",
                          "String encoding for --component-type "
                          "(utf8, utf16, compact-utf16)">,
                       Group<grp_component>;
def skip_wit_component : F<"skip-wit-component">,
                         Group<grp_component>,
                         HelpText<"Write wasm-ld's core module as is">;
defm wasi_adapter : Eq<"wasi-adapter", "WASI preview1 adapter: command, "
                                       "reactor, none or a file">,
                    Group<grp_component>;
defm wasm_ld_path : Eq<"wasm-ld-path", "Accepted for clang; ignored, as "
                                       "wasm-ld runs in-process">,
                    Group<grp_component>;
defm append_lld_flag : Eq<"append-lld-flag",
                          "Pass a flag to wasm-ld after all others">,
                       Group<grp_component>;

// wcl's own.
defm map : Eq<"Map", "Write the link plan to the file">,
           Group<grp_wcl>,
           Flags<[WasmLdToo]>;
def dry_run : Flag<["-"], "###">,
              HelpText<"Print the wasm-ld command line that would run, "
                       "quoted, and stop">,
              Group<grp_wcl>;
