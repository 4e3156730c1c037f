#include "gobuild/cli/commands.hpp"
