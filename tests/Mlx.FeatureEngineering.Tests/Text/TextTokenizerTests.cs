using Mlx.FeatureEngineering.Text;
using Xunit;

namespace Mlx.FeatureEngineering.Tests.Text;

/// <summary>
/// The tokenizer's one-pass standardise-and-split against tokens written out by hand from Keras' definition
/// (lower-case, strip <c>!"#$%&amp;()*+,-./:;&lt;=&gt;?@[\]^_`{|}~'</c>, split on runs of whitespace, n-grams joined by one
/// space), and the token table's ids against a dictionary.
/// </summary>
public class TextTokenizerTests
{
    private static string[] Tokens(string text, TextStandardization standardize = TextStandardization.LowerAndStripPunctuation,
        TextSplit split = TextSplit.Whitespace, int ngrams = 1)
    {
        var tokenizer = new TextTokenizer(standardize, split, ngrams);
        tokenizer.Tokenize(text);
        return Enumerable.Range(0, tokenizer.Count).Select(i => new string(tokenizer.Token(i))).ToArray();
    }

    [Fact]
    public void Words_are_lower_cased_with_punctuation_removed_and_split_on_any_run_of_whitespace()
    {
        Assert.Equal(["dont", "stop", "école", "naïve", "ok", "x", "y"], Tokens("  Don't STOP!!\t\nÉcole  naïve,\u00A0OK?? x\u3000Y. ..."));
        Assert.Equal([], Tokens(""));
        Assert.Equal([], Tokens(" \t ... !!"));
        Assert.Equal(["ab"], Tokens("a-b"));
        Assert.Equal(["Don't", "STOP!!", "a-b"], Tokens(" Don't  STOP!!\ta-b ", TextStandardization.None));
    }

    [Fact]
    public void N_grams_join_consecutive_words_with_one_space_whatever_separated_them()
    {
        Assert.Equal(["the", "cat", "sat", "the cat", "cat sat", "the cat sat"], Tokens("The, cat \t  sat!", ngrams: 3));
        Assert.Equal(["a", "a", "a a"], Tokens("a a", ngrams: 3));
        Assert.Equal(["one"], Tokens("one", ngrams: 2));
    }

    [Fact]
    public void Character_split_keeps_spaces_and_surrogate_pairs_and_joins_character_n_grams_with_a_space()
    {
        Assert.Equal(["a", " ", "b", "a  ", "  b"], Tokens("A, b", split: TextSplit.Character, ngrams: 2));
        Assert.Equal(["x", "😀", "x 😀"], Tokens("x😀", split: TextSplit.Character, ngrams: 2));
    }

    [Fact]
    public void The_token_table_numbers_tokens_in_order_of_first_appearance_through_growth()
    {
        var table = new TokenTable(4);
        var expected = new Dictionary<string, int>();
        var random = new Random(3);
        for (int i = 0; i < 20_000; i++)
        {
            string token = "t" + random.Next(5_000).ToString(System.Globalization.CultureInfo.InvariantCulture) + (i % 7 == 0 ? "é" : "");
            if (!expected.TryGetValue(token, out int id))
                expected[token] = id = expected.Count;
            Assert.Equal(id, table.Add(token));
        }
        Assert.Equal(expected.Count, table.Count);
        foreach (var (token, id) in expected)
        {
            Assert.Equal(id, table.IndexOf(token));
            Assert.Equal(token, new string(table[id]));
        }
        Assert.Equal(-1, table.IndexOf("absent"));
        Assert.Equal(-1, table.IndexOf(""));
        Assert.Equal(expected.Count, table.Add(""));
        Assert.Equal(expected.Count, table.IndexOf(""));
    }
}
