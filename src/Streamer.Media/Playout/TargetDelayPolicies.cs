using System.Globalization;

namespace Streamer.Media.Playout;

/// <summary>The adaptive bounds a strategy may use (<c>--min-jitter-ms</c>, <c>--max-jitter-ms</c>).</summary>
public readonly record struct TargetDelayBounds(double MinimumMilliseconds, double MaximumMilliseconds);

/// <summary>
/// The jitter strategies by name: <c>NAME</c> or <c>NAME:ARGUMENT</c> (<c>fixed:40</c>, <c>adaptive</c>). The same
/// names serve <c>play --jitter-strategy</c> and the bench's replay. Adding a strategy is one class implementing
/// <see cref="ITargetDelayPolicy"/> and one line in <see cref="Strategies"/>. Every bad name fails with one
/// <see cref="ArgumentException"/> whose message says what is wrong and what would be right.
/// </summary>
public static class TargetDelayPolicies
{
    private const double MaxMilliseconds = 10_000;

    /// <summary>The registered strategies, in the order help lists them.</summary>
    public static IReadOnlyList<TargetDelayStrategy> Strategies { get; } =
    [
        new("fixed", "MS", "a constant target of MS ms", (argument, _) => new FixedTargetDelay(Milliseconds("fixed", argument))),
        new("adaptive", "[pNN]", "the target follows the measured jitter between the adaptive bounds; adaptive:pNN follows the NNth percentile of the arrival delays alone (no peak hold)", (argument, bounds) =>
            new AdaptiveTargetDelay(bounds.MinimumMilliseconds, bounds.MaximumMilliseconds, argument is null ? null : Percentile(argument))),
    ];

    /// <summary>The names as users write them, e.g. "fixed:MS, adaptive".</summary>
    public static string Usage => string.Join(", ", Strategies.Select(s => s.Usage));

    /// <summary>Makes the policy <paramref name="name"/> asks for (one per stream).</summary>
    /// <exception cref="ArgumentException">The name or its argument is not valid.</exception>
    public static ITargetDelayPolicy Create(string name, TargetDelayBounds bounds)
    {
        var (strategy, argument) = Find(name);
        return strategy.Create(argument, bounds);
    }

    /// <summary>The registered name <paramref name="name"/> refers to, without its argument ("fixed" for "fixed:40").</summary>
    public static string BaseName(string name) => Find(name).Strategy.Name;

    /// <summary>The description <c>fixed:N</c> for the fixed target N ms, in the invariant culture.</summary>
    public static string Fixed(double milliseconds) => string.Create(CultureInfo.InvariantCulture, $"fixed:{milliseconds}");

    private static (TargetDelayStrategy Strategy, string? Argument) Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int colon = name.IndexOf(':', StringComparison.Ordinal);
        string key = colon < 0 ? name : name[..colon];
        string? argument = colon < 0 ? null : name[(colon + 1)..];
        foreach (var strategy in Strategies)
        {
            if (string.Equals(strategy.Name, key, StringComparison.OrdinalIgnoreCase))
            {
                if (!strategy.ArgumentIsOptional && (strategy.Argument is null) != (argument is null))
                {
                    throw new ArgumentException(strategy.Argument is null
                        ? $"jitter strategy '{name}' takes no argument (say '{strategy.Usage}')"
                        : $"jitter strategy '{name}' needs an argument (say '{strategy.Usage}')");
                }

                return (strategy, argument);
            }
        }

        throw new ArgumentException($"unknown jitter strategy '{name}' (known: {Usage})");
    }

    private static double Percentile(string text)
    {
        if (text.Length < 2 || text[0] is not ('p' or 'P') || !double.TryParse(text.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value is <= 0 or >= 100 || double.IsNaN(value))
        {
            throw new ArgumentException($"jitter strategy 'adaptive:{text}': the argument must be a percentile pNN from p1 to p99.9 (say 'adaptive:p99')");
        }

        return value / 100;
    }

    private static double Milliseconds(string strategy, string? text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value is < 0 or > MaxMilliseconds || double.IsNaN(value))
        {
            throw new ArgumentException($"jitter strategy '{strategy}:{text}': the target must be a number of ms from 0 to {MaxMilliseconds.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }
}

/// <summary>One registered strategy.</summary>
/// <param name="Name">What users type before any colon.</param>
/// <param name="Argument">What the part after the colon means ("MS"), or null if the strategy takes none.</param>
/// <param name="Description">One line for help text.</param>
/// <param name="Create">Makes a policy from the argument (null if none) and the adaptive bounds.</param>
public sealed record TargetDelayStrategy(string Name, string? Argument, string Description, Func<string?, TargetDelayBounds, ITargetDelayPolicy> Create)
{
    /// <summary>How to write it: "fixed:MS", "adaptive[:pNN]" (an argument in brackets may be left out).</summary>
    public string Usage => Argument is null ? Name : ArgumentIsOptional ? $"{Name}[:{Argument[1..^1]}]" : $"{Name}:{Argument}";

    /// <summary>True when <see cref="Argument"/> is in brackets ("[pNN]"): the strategy takes it or none.</summary>
    public bool ArgumentIsOptional => Argument is ['[', .., ']'];
}
