//! Token buckets: how much a socket may send, on average and in a burst.

use tokio::time::Instant;

/// Refills at `rate` per second up to `burst`; each frame takes its cost.
#[derive(Debug)]
pub(crate) struct Bucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    /// A full bucket: `rate` per second, bursts of twice that.
    pub(crate) fn new(rate: u32) -> Bucket {
        let rate = f64::from(rate.max(1));
        Bucket {
            rate,
            burst: rate * 2.0,
            tokens: rate * 2.0,
            last: Instant::now(),
        }
    }

    /// Takes `cost` when there is enough; false (and nothing taken) when there is not.
    pub(crate) fn take(&mut self, cost: f64) -> bool {
        let now = Instant::now();
        let refill = now.duration_since(self.last).as_secs_f64() * self.rate;
        self.tokens = (self.tokens + refill).min(self.burst);
        self.last = now;
        if self.tokens >= cost {
            self.tokens -= cost;
            true
        } else {
            false
        }
    }

    /// Takes `cost`, waiting for the bucket to refill when it must: for what should be slowed
    /// down rather than refused (upload chunks, which a refusal would leave stalled).
    pub(crate) async fn pace(&mut self, cost: f64) {
        while !self.take(cost) {
            let short = (cost.min(self.burst) - self.tokens).max(0.0);
            tokio::time::sleep(std::time::Duration::from_secs_f64(short / self.rate)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_passes_then_the_rate_holds() {
        let mut b = Bucket::new(10);
        assert_eq!(
            (0..25).filter(|_| b.take(1.0)).count(),
            20,
            "a burst of twice the rate"
        );
        tokio::time::advance(std::time::Duration::from_millis(500)).await;
        assert_eq!(
            (0..25).filter(|_| b.take(1.0)).count(),
            5,
            "then 10 a second"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn pacing_waits_for_the_rate() {
        let mut b = Bucket::new(100);
        let start = tokio::time::Instant::now();
        for _ in 0..300 {
            b.pace(1.0).await;
        }
        let waited = start.elapsed().as_secs_f64();
        assert!(
            (0.95..1.1).contains(&waited),
            "200 at once, then 100 a second: {waited}"
        );
    }
}
