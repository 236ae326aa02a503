using System.Text;

namespace Streamer.Bench;

/// <summary>The names of the files and directories the benches' <c>--keep DIR</c> writes.</summary>
public static class KeptFileNames
{
    /// <summary>
    /// <paramref name="label"/> as a file name: letters and digits lower-cased, '.' and '_' kept, anything else
    /// (':' of "fixed:40" or "opus:64", '@', spaces, slashes) a '-': "fixed:40" is "fixed-40", "opus:64-4g" "opus-64-4g".
    /// </summary>
    /// <param name="label">A strategy, a codec or a cell label.</param>
    public static string Of(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var name = new StringBuilder(label.Length);
        foreach (char c in label.Trim())
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' ? char.ToLowerInvariant(c) : '-');
        }

        return name.ToString();
    }
}
