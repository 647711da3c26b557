/// Where notifications go and how they are signed and retried (from
/// ``ServerConfiguration``): webhook URLs per audience, since the audience of a
/// notification follows from its subject (``NotificationAudience``).
public struct WebhookSettings: Sendable, Hashable {
    /// Webhooks that receive notifications about abuse reports. Default none.
    public var safeguarding: [String] = []
    /// Webhooks that receive notifications about visits, notes and missed calls. Default none.
    public var coordinators: [String] = []
    /// The HMAC-SHA256 key of the signature header; required when any webhook is set.
    public var secret: String?
    /// The wait after the first failure, doubled after each further one, in seconds. Default 30.
    public var retryBaseSeconds: Int64 = 30
    /// The longest wait between attempts, in seconds. Default 3,600: a failing
    /// delivery is retried hourly, for ever, until it succeeds or someone fixes the webhook.
    public var retryMaximumSeconds: Int64 = 3_600
    /// After this many failed attempts a delivery counts as failing (listed, and in
    /// `caresync_notification_deliveries_failing`). Default 5.
    public var failingAfterAttempts: Int = 5
    /// How long one attempt may take, in seconds. Default 10.
    public var timeoutSeconds: Int64 = 10

    public init() {}

    /// The webhooks of `audience`.
    public func webhooks(for audience: NotificationAudience) -> [String] {
        switch audience {
        case .safeguarding: safeguarding
        case .coordinators: coordinators
        }
    }

    /// When to try again after the `attempts`-th failed attempt at `time`:
    /// base × 2^(attempts − 1), at most the maximum.
    public func nextAttempt(after attempts: Int, at time: Int64) -> Int64 {
        let doublings = Int64(max(0, min(attempts - 1, 40)))
        let (delay, overflow) = retryBaseSeconds.multipliedReportingOverflow(by: 1 << doublings)
        return time + (overflow ? retryMaximumSeconds : min(delay, retryMaximumSeconds)) * 1_000
    }

    /// Refuses settings that cannot work: a webhook without a secret, or a URL
    /// that is not http(s).
    public func validate() throws {
        let all = safeguarding + coordinators
        if !all.isEmpty && (secret ?? "").isEmpty {
            throw ServerError(
                .invalidConfiguration, "webhooks need a signing secret: set --webhook-secret", field: "webhook-secret",
                status: .internalServerError)
        }
        for url in all where (try? WebhookURL(url)) == nil {
            throw ServerError(
                .invalidConfiguration, "a webhook URL must be http:// or https://host[:port]/path", field: "webhook",
                status: .internalServerError)
        }
    }
}
