using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ratify.Functions.Audit;

/// <summary>The JSON Canonicalization Scheme (RFC 8785): one exact byte sequence for every JSON value.</summary>
/// <remarks>
/// Properties are sorted by their UTF-16 code units, strings are escaped minimally, and numbers are written as
/// ECMAScript writes an IEEE 754 double (shortest round trip, exponent form below 1e-6 and from 1e21 on).
/// No package that restores here implements the scheme, so this is the RFC's algorithm, tested against its examples.
/// </remarks>
public static class JsonCanonicalizer
{
    /// <summary>The canonical UTF-8 bytes of <paramref name="node"/>.</summary>
    public static byte[] Serialize(JsonNode? node) => Encoding.UTF8.GetBytes(ToText(node));

    /// <summary>The lowercase hex SHA-256 of the canonical bytes of <paramref name="node"/>: the digest audit records carry.</summary>
    public static string Sha256(JsonNode? node) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Serialize(node)));

    /// <summary>The canonical text of <paramref name="node"/>.</summary>
    public static string ToText(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(builder, node);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, JsonNode? node)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                foreach (var (name, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    WriteString(builder, name);
                    builder.Append(':');
                    Write(builder, value);
                }

                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    Write(builder, array[i]);
                }

                builder.Append(']');
                break;
            case JsonValue value:
                WriteValue(builder, value);
                break;
        }
    }

    private static void WriteValue(StringBuilder builder, JsonValue value)
    {
        var element = JsonSerializer.SerializeToElement(value);
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                WriteString(builder, element.GetString()!);
                break;
            case JsonValueKind.Number:
                // Run inputs keep numbers beyond a double's range exactly: those are written as their exact decimal value in
                // the same notation (RFC 8785 leaves them out, I-JSON has none), so that hashing one never fails.
                var text = element.GetRawText();
                builder.Append(element.TryGetDouble(out var number) && double.IsFinite(number) && (number != 0 || IsZero(text))
                    ? FormatNumber(number)
                    : FormatDecimal(text));
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    /// <summary>ECMAScript's Number.prototype.toString for a finite double (RFC 8785 section 3.2.2.3).</summary>
    public static string FormatNumber(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "JSON has no NaN or Infinity.");
        }

        if (value == 0)
        {
            return "0"; // negative zero included
        }

        // "R" gives the shortest digits that round-trip; take them apart into digits and a decimal exponent.
        var (digits, exponent) = Decompose(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));
        return Format(value < 0 ? "-" : string.Empty, digits, exponent);
    }

    private static bool IsZero(string text) => Decompose(text.TrimStart('-')).Digits.Length == 0;

    /// <summary>A JSON number's exact decimal value, in the notation <see cref="FormatNumber"/> uses.</summary>
    private static string FormatDecimal(string text)
    {
        var negative = text.StartsWith('-');
        var (digits, exponent) = Decompose(negative ? text[1..] : text);
        return digits.Length == 0 ? "0" : Format(negative ? "-" : string.Empty, digits, exponent);
    }

    private static string Format(string sign, string digits, int exponent)
    {
        var k = digits.Length;
        var n = exponent; // value = 0.digits * 10^n
        string body;
        if (k <= n && n <= 21)
        {
            body = digits + new string('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            body = digits[..n] + "." + digits[n..];
        }
        else if (-6 < n && n <= 0)
        {
            body = "0." + new string('0', -n) + digits;
        }
        else
        {
            var e = n - 1;
            var mantissa = k == 1 ? digits : digits[..1] + "." + digits[1..];
            body = mantissa + "e" + (e < 0 ? "-" : "+") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        }

        return sign + body;
    }

    /// <summary>The significant digits (no leading or trailing zeros) and n such that the value is 0.digits × 10^n.</summary>
    private static (string Digits, int Exponent) Decompose(string shortest)
    {
        var mantissa = shortest;
        var exponent = 0;
        var e = shortest.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            mantissa = shortest[..e];
            exponent = int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerPart = point >= 0 ? mantissa[..point] : mantissa;
        var fraction = point >= 0 ? mantissa[(point + 1)..] : string.Empty;
        var all = integerPart + fraction;
        var n = integerPart.Length + exponent;
        var trimmedStart = all.TrimStart('0');
        n -= all.Length - trimmedStart.Length;
        var digits = trimmedStart.TrimEnd('0');
        return (digits, n);
    }

    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
