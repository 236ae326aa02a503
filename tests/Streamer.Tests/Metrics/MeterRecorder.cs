using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Streamer.Tests.Metrics;

/// <summary>
/// A <see cref="MeterListener"/> on the Streamer meters: which instruments exist (name, unit, kind) and what they
/// measured. The meters are process-wide and other tests run beside this one, so figures only ever grow: tests check
/// that their own traffic moved them, never exact totals.
/// </summary>
internal sealed class MeterRecorder : IDisposable
{
    private static readonly string[] Meters = ["Streamer.Server", "Streamer.Client", "Streamer.Chat"];

    private readonly MeterListener _listener = new();

    public MeterRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Array.IndexOf(Meters, instrument.Meter.Name) >= 0)
            {
                Instruments[instrument.Name] = instrument;
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Record(instrument, value));
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Record(instrument, value));
        _listener.Start();
    }

    public ConcurrentDictionary<string, Instrument> Instruments { get; } = new();

    /// <summary>Per instrument: the sum of what was added or recorded (pushed instruments).</summary>
    public ConcurrentDictionary<string, double> Sums { get; } = new();

    /// <summary>Per instrument: how many measurements came.</summary>
    public ConcurrentDictionary<string, long> Counts { get; } = new();

    /// <summary>Per instrument: the largest single measurement (observed totals, gauges, histogram samples).</summary>
    public ConcurrentDictionary<string, double> Max { get; } = new();

    /// <summary>Polls the observable instruments (counters read from the streams' stats, the jitter-buffer gauges).</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public double Sum(string name) => Sums.GetValueOrDefault(name);

    public double Largest(string name) => Max.GetValueOrDefault(name, double.NegativeInfinity);

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value)
    {
        Sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
        Counts.AddOrUpdate(instrument.Name, 1, (_, n) => n + 1);
        Max.AddOrUpdate(instrument.Name, value, (_, max) => Math.Max(max, value));
    }
}
