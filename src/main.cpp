#include "gobuild/cli/commands.hpp"

int main(int argc, char** argv) { return gobuild::run_cli(argc, argv); }
