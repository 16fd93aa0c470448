//! The `metrics` recorder that feeds the dashboard, and hands everything on to the app's own
//! exporter when it has one.

use std::sync::{Arc, OnceLock};

use metrics::{Counter, Gauge, Histogram, Key, KeyName, Metadata, SharedString, Unit};

use crate::dashboard::figures::Figures;

/// The figures of the installed [`Recorder`], for the dashboard's pages.
static INSTALLED: OnceLock<Arc<Figures>> = OnceLock::new();

/// The installed recorder's figures, if one was installed.
pub(crate) fn installed() -> Option<&'static Arc<Figures>> {
    INSTALLED.get()
}

/// Why [`Recorder::install`] failed.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// The process has a `metrics` recorder already (only one can be installed): hand that one
    /// to [`Recorder::forward_to`] instead of installing it.
    #[error("a metrics recorder is installed already; give it to Recorder::forward_to instead")]
    AlreadyInstalled,
}

/// A `metrics` recorder that keeps what the engine records for the
/// [`Dashboard`](crate::dashboard::Dashboard), in memory, and forwards every figure to another
/// recorder (a Prometheus exporter, say) when given one. A process has one recorder: install
/// this one, with the exporter inside.
///
/// ```
/// use leptos_live::dashboard::Recorder;
///
/// // Alone: the dashboard's figures, and no exporter.
/// let recorder = Recorder::new();
/// # let _ = recorder;
/// // With an exporter, e.g. metrics-exporter-prometheus:
/// //   let prometheus = PrometheusBuilder::new().build_recorder();
/// //   let handle = prometheus.handle(); // serves /metrics
/// //   Recorder::new().forward_to(prometheus).install()?;
/// ```
pub struct Recorder {
    figures: Arc<Figures>,
    inner: Option<Box<dyn metrics::Recorder + Send + Sync>>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("forwards", &self.inner.is_some())
            .finish()
    }
}

impl Default for Recorder {
    fn default() -> Self {
        Self::new()
    }
}

impl Recorder {
    /// A recorder that keeps the figures for the dashboard and forwards nothing.
    ///
    /// ```
    /// let recorder = leptos_live::dashboard::Recorder::new();
    /// # let _ = recorder;
    /// ```
    pub fn new() -> Recorder {
        Recorder {
            figures: Arc::default(),
            inner: None,
        }
    }

    /// Forwards every figure to `inner` as well, as if `inner` were installed alone. A recorder
    /// that needs upkeep gets none from here: a Prometheus recorder made with
    /// `PrometheusBuilder::build_recorder` keeps every histogram sample until a scrape, unless
    /// the app calls its handle's `run_upkeep` every few seconds (as `install` would have).
    ///
    /// ```
    /// use leptos_live::dashboard::Recorder;
    /// // Any `metrics::Recorder`; the facade's no-op one here.
    /// let recorder = Recorder::new().forward_to(metrics::NoopRecorder);
    /// # let _ = recorder;
    /// ```
    pub fn forward_to(mut self, inner: impl metrics::Recorder + Send + Sync + 'static) -> Recorder {
        self.inner = Some(Box::new(inner));
        self
    }

    /// Installs this recorder as the process's `metrics` recorder; from then on the
    /// [`Dashboard`](crate::dashboard::Dashboard) shows what the engine records.
    ///
    /// ```
    /// use leptos_live::dashboard::{InstallError, Recorder};
    /// Recorder::new().install().unwrap();
    /// // One recorder per process.
    /// assert!(matches!(Recorder::new().install(), Err(InstallError::AlreadyInstalled)));
    /// ```
    pub fn install(self) -> Result<(), InstallError> {
        let figures = self.figures.clone();
        metrics::set_global_recorder(self).map_err(|_| InstallError::AlreadyInstalled)?;
        // The facade took this recorder, so no other one reached `INSTALLED` before.
        let _ = INSTALLED.set(figures);
        Ok(())
    }
}

impl metrics::Recorder for Recorder {
    fn describe_counter(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        if let Some(inner) = &self.inner {
            inner.describe_counter(key, unit, description);
        }
    }

    fn describe_gauge(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        if let Some(inner) = &self.inner {
            inner.describe_gauge(key, unit, description);
        }
    }

    fn describe_histogram(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        if let Some(inner) = &self.inner {
            inner.describe_histogram(key, unit, description);
        }
    }

    fn register_counter(&self, key: &Key, metadata: &Metadata<'_>) -> Counter {
        self.figures.counter(key, || match &self.inner {
            Some(inner) => inner.register_counter(key, metadata),
            None => Counter::noop(),
        })
    }

    fn register_gauge(&self, key: &Key, metadata: &Metadata<'_>) -> Gauge {
        self.figures.gauge(key, || match &self.inner {
            Some(inner) => inner.register_gauge(key, metadata),
            None => Gauge::noop(),
        })
    }

    fn register_histogram(&self, key: &Key, metadata: &Metadata<'_>) -> Histogram {
        self.figures.histogram(key, || match &self.inner {
            Some(inner) => inner.register_histogram(key, metadata),
            None => Histogram::noop(),
        })
    }
}
