// Running independent pieces of work on every core.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>

namespace kiln {

// How many threads work that can use every core should use (at least 1).
size_t worker_count();

// Calls work(worker, item) for every item in [0, items), on up to `workers`
// threads (the calling thread is one of them); items are handed out in order,
// one at a time, so uneven items balance. Returns when all are done. `work`
// must not throw.
void parallel_for(size_t items, size_t workers, const std::function<void(size_t worker, size_t item)>& work);

}  // namespace kiln
