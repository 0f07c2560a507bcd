#include "base/parallel.h"

#include <algorithm>
#include <system_error>
#include <thread>
#include <vector>

namespace kiln {

size_t worker_count() { return std::max<size_t>(1, std::thread::hardware_concurrency()); }

void parallel_for(size_t items, size_t workers, const std::function<void(size_t worker, size_t item)>& work) {
  workers = std::clamp<size_t>(workers, 1, std::max<size_t>(items, 1));
  std::atomic<size_t> next{0};
  auto run = [&](size_t worker) {
    for (size_t item; (item = next.fetch_add(1, std::memory_order_relaxed)) < items;) work(worker, item);
  };
  std::vector<std::thread> threads;
  threads.reserve(workers - 1);
  try {
    for (size_t w = 1; w < workers; ++w) threads.emplace_back(run, w);
  } catch (const std::system_error&) {
    // No more threads to be had: the ones there are (at least this one) do it all.
  }
  run(0);
  for (std::thread& t : threads) t.join();
}

}  // namespace kiln
