// Metrics: the gateway's counters, exposed in Prometheus text format at
// /metrics. Labels are channel names and status codes only: never message
// text, conversation ids or anything a person wrote.
#ifndef RECONNECT_ADAPTERS_METRICS_H_
#define RECONNECT_ADAPTERS_METRICS_H_

#include <array>
#include <map>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace reconnect::adapters {

class Metrics {
 public:
  // One HTTP request answered with `status` on `channel` ("web",
  // "telegram", ..., or "gateway" for /healthz, /metrics and unknown paths).
  void CountRequest(const std::string& channel, int status);
  // One reply from the guide, how long Converse took, and whether it
  // escalated.
  void CountReply(const std::string& channel, absl::Duration latency,
                  bool escalated);
  // One message that could not be delivered to a platform after retries.
  void CountSendFailure(const std::string& channel);

  // The whole set, in Prometheus text exposition format 0.0.4.
  std::string Render() const;

 private:
  static constexpr std::array<double, 13> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,  0.5,    1,     2.5,  5};
  struct Latency {
    std::array<uint64_t, kBuckets.size()> buckets{};  // cumulative on render
    uint64_t count = 0;
    double sum = 0;
  };
  mutable absl::Mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_
      ABSL_GUARDED_BY(mu_);
  std::map<std::string, uint64_t> replies_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, uint64_t> escalations_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, uint64_t> send_failures_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Latency> latency_ ABSL_GUARDED_BY(mu_);
};

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_METRICS_H_
