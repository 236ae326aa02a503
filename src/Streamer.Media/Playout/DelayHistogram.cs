namespace Streamer.Media.Playout;

/// <summary>
/// A forgetting histogram of delays in 1 ms buckets (WebRTC NetEQ's shape): every new sample weighs a little more
/// than the one before, so old samples fade out without a pass over the buckets per sample.
/// </summary>
internal sealed class DelayHistogram
{
    private const double Renormalize = 1e12;

    private readonly double[] _buckets;
    private readonly double _growth;
    private double _weight = 1;
    private double _total;

    /// <param name="maxMilliseconds">Delays above this land in the last bucket.</param>
    /// <param name="memorySamples">About how many recent samples dominate (the forgetting factor is 1 - 1/memory).</param>
    public DelayHistogram(int maxMilliseconds, double memorySamples)
    {
        _buckets = new double[Math.Max(1, maxMilliseconds) + 1];
        _growth = 1 / (1 - (1 / memorySamples));
    }

    public bool IsEmpty => _total == 0;

    public void Add(double delayMilliseconds)
    {
        int bucket = (int)Math.Clamp(Math.Ceiling(delayMilliseconds), 0, _buckets.Length - 1);
        _buckets[bucket] += _weight;
        _total += _weight;
        _weight *= _growth;
        if (_weight > Renormalize)
        {
            double scale = 1 / _weight;
            for (int i = 0; i < _buckets.Length; i++)
            {
                _buckets[i] *= scale;
            }

            _total *= scale;
            _weight = 1;
        }
    }

    /// <summary>The delay (ms, bucket upper edge) below which <paramref name="fraction"/> of the weight lies.</summary>
    public double Quantile(double fraction)
    {
        double wanted = _total * fraction;
        double seen = 0;
        for (int i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= wanted)
            {
                return i;
            }
        }

        return _buckets.Length - 1;
    }
}
