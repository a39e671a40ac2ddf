// Sizes PatternSet::Options::max_mem by measurement.
//
// RE2::Set never fails when its DFA cache fills: it throws the cache away and
// rebuilds states as it goes, which can make a match a hundred times slower.
// This benchmark runs the real intents/ rule sets (matcher and crisis screen)
// over the shipped examples joined into long messages, at several memory
// budgets. The default must sit where the time has flattened out.
//
//   build/pattern_set_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <iostream>

#include "absl/strings/str_cat.h"
#include "bot/content_loader.h"
#include "bot/crisis_screen.h"
#include "bot/matcher.h"
#include "bot/normalizer.h"

namespace reconnect::bot {
namespace {

const Content& RealContent() {
  static const Content* content = [] {
    auto loaded = LoadContent(std::string(RECONNECT_SOURCE_DIR) + "/intents");
    if (!loaded.ok()) {
      std::cerr << loaded.status().message() << "\n";
      std::abort();
    }
    return new Content(std::move(*loaded));
  }();
  return *content;
}

// Every non-crisis example, joined until the text reaches `bytes`.
std::string LongMessage(size_t bytes) {
  std::string text;
  while (text.size() < bytes) {
    for (const Intent& intent : RealContent().intents) {
      if (intent.escalate) continue;
      for (const auto& e : intent.examples) absl::StrAppend(&text, e, " ");
    }
  }
  text.resize(bytes);
  return Normalize(text);
}

void BM_Matcher(benchmark::State& state) {
  Matcher::Options options;
  options.pattern_set.max_mem = state.range(0);
  auto matcher = Matcher::Create(RealContent(), options);
  if (!matcher.ok()) {
    state.SkipWithError(std::string(matcher.status().message()).c_str());
    return;
  }
  const std::string text = LongMessage(state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize((*matcher)->Match(text));
  state.SetBytesProcessed(state.iterations() * text.size());
}

void BM_CrisisScreen(benchmark::State& state) {
  PatternSet::Options options;
  options.max_mem = state.range(0);
  auto screen = CrisisScreen::Create(RealContent(), options);
  if (!screen.ok()) {
    state.SkipWithError(std::string(screen.status().message()).c_str());
    return;
  }
  const std::string text = LongMessage(state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize((*screen)->Screen(text));
  state.SetBytesProcessed(state.iterations() * text.size());
}

void Budgets(benchmark::internal::Benchmark* b) {
  for (int64_t mem : {256 << 10, 1 << 20, 4 << 20, 16 << 20, 64 << 20}) {
    for (int64_t bytes : {256, 4096, 65536}) b->Args({mem, bytes});
  }
  b->ArgNames({"max_mem", "bytes"});
}

BENCHMARK(BM_Matcher)->Apply(Budgets);
BENCHMARK(BM_CrisisScreen)->Apply(Budgets);

}  // namespace
}  // namespace reconnect::bot

BENCHMARK_MAIN();
