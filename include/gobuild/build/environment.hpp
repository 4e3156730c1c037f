#pragma once
// The pinned child environment of SPEC §3.1 (owned by the build pipeline; placeholder).
