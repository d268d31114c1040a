#include "services/notification/webhook_sender.h"

#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/common/http_client.h"

namespace tiendo::notification {
namespace {

// Keeps the request instead of sending it.
class RecordingHttpClient final : public HttpClient {
 public:
  HttpResult Post(const std::string& url, const HttpHeaders& headers,
                  const std::string& body, absl::Duration timeout) override {
    (void)timeout;
    url_ = url;
    headers_ = headers;
    body_ = body;
    HttpResult result;
    result.status = 200;
    return result;
  }
  const HttpHeaders& headers() const { return headers_; }

 private:
  std::string url_;
  HttpHeaders headers_;
  std::string body_;
};

bool IsPrintableAscii(const std::string& text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

TEST(PercentEncodeTest, KeepsUnreservedAndEncodesTheRest) {
  EXPECT_EQ(PercentEncode("vt#III.4@2026-05/3d→vinhthuy.congan"),
            "vt%23III.4%402026-05%2F3d%E2%86%92vinhthuy.congan");
  EXPECT_EQ(PercentEncode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(PercentEncode("100% x"), "100%25%20x");
  EXPECT_EQ(PercentEncode(""), "");
}

TEST(WebhookSenderTest, EveryHeaderIsPrintableAscii) {
  RecordingHttpClient http;
  SimulatedClock clock(absl::FromUnixSeconds(1780246800), "");
  WebhookSender sender(http, clock, absl::Seconds(5));
  DueDelivery due;
  due.delivery.set_delivery_key(
      "vinh-thuy:1199-KH-UBND#BC.1@2026-05/3d→vinhthuy.congan");
  due.subscription.set_address("http://127.0.0.1:1/hook");
  due.subscription.set_secret("bí mật");
  due.notification.set_agency("vinhthuy.congan");
  due.notification.set_message("NHẮC HẠN BÁO CÁO: Kỳ báo cáo tháng 5/2026");
  EXPECT_EQ(sender.Send(due).outcome, Outcome::kSent);

  ASSERT_FALSE(http.headers().empty());
  for (const auto& [name, value] : http.headers()) {
    EXPECT_TRUE(IsPrintableAscii(name)) << name;
    EXPECT_TRUE(IsPrintableAscii(value)) << name << ": " << value;
  }
  EXPECT_THAT(http.headers(),
              ::testing::Contains(std::pair<std::string, std::string>(
                  "X-Tiendo-Delivery",
                  "vinh-thuy%3A1199-KH-UBND%23BC.1%402026-05%2F3d%E2%86%92"
                  "vinhthuy.congan")));
}

}  // namespace
}  // namespace tiendo::notification
