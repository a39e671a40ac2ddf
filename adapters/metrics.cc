#include "adapters/metrics.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace reconnect::adapters {

void Metrics::CountRequest(const std::string& channel, int status) {
  absl::MutexLock lock(&mu_);
  ++requests_[{channel, status}];
}

void Metrics::CountReply(const std::string& channel, absl::Duration latency,
                         bool escalated) {
  const double seconds = absl::ToDoubleSeconds(latency);
  absl::MutexLock lock(&mu_);
  ++replies_[channel];
  if (escalated) ++escalations_[channel];
  Latency& l = latency_[channel];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++l.buckets[i];
      break;
    }
  }
  ++l.count;
  l.sum += seconds;
}

void Metrics::CountSendFailure(const std::string& channel) {
  absl::MutexLock lock(&mu_);
  ++send_failures_[channel];
}

namespace {

void RenderCounter(const std::string& name, const std::string& help,
                   const std::map<std::string, uint64_t>& values,
                   std::string* out) {
  absl::StrAppend(out, "# HELP ", name, " ", help, "\n# TYPE ", name,
                  " counter\n");
  for (const auto& [channel, value] : values) {
    absl::StrAppend(out, name, "{channel=\"", channel, "\"} ", value, "\n");
  }
}

}  // namespace

std::string Metrics::Render() const {
  absl::MutexLock lock(&mu_);
  std::string out;
  absl::StrAppend(&out,
                  "# HELP reconnect_http_requests_total HTTP requests "
                  "answered, by channel and status code.\n"
                  "# TYPE reconnect_http_requests_total counter\n");
  for (const auto& [key, value] : requests_) {
    absl::StrAppend(&out, "reconnect_http_requests_total{channel=\"", key.first,
                    "\",code=\"", key.second, "\"} ", value, "\n");
  }
  RenderCounter("reconnect_replies_total", "Replies from the guide.", replies_,
                &out);
  RenderCounter("reconnect_escalations_total",
                "Replies that handed the conversation to a person.",
                escalations_, &out);
  RenderCounter("reconnect_platform_send_failures_total",
                "Messages a platform API did not accept after retries.",
                send_failures_, &out);
  absl::StrAppend(&out,
                  "# HELP reconnect_reply_seconds Time the guide took to "
                  "answer a message.\n"
                  "# TYPE reconnect_reply_seconds histogram\n");
  for (const auto& [channel, l] : latency_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += l.buckets[i];
      absl::StrAppend(&out, "reconnect_reply_seconds_bucket{channel=\"",
                      channel, "\",le=\"", absl::StrFormat("%g", kBuckets[i]),
                      "\"} ", cumulative, "\n");
    }
    absl::StrAppend(&out, "reconnect_reply_seconds_bucket{channel=\"", channel,
                    "\",le=\"+Inf\"} ", l.count, "\n",
                    "reconnect_reply_seconds_sum{channel=\"", channel, "\"} ",
                    absl::StrFormat("%.6f", l.sum), "\n",
                    "reconnect_reply_seconds_count{channel=\"", channel, "\"} ",
                    l.count, "\n");
  }
  return out;
}

}  // namespace reconnect::adapters
