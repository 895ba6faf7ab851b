namespace Mlx.Workflow;

/// <summary>What a column is to the workflow (step 1, "define the problem"): how it is prepared, or why it is left out.</summary>
public enum ColumnKind
{
    /// <summary>A number: scaled (Yeo-Johnson first when skewed), missing values imputed with an indicator.</summary>
    Numeric,

    /// <summary>A known-size vector of numbers (e.g. pixels): standardized slot by slot.</summary>
    NumericVector,

    /// <summary>A few distinct values (text, Boolean or key): dummy coded.</summary>
    Categorical,

    /// <summary>Free text: TF-IDF over unigrams and bigrams.</summary>
    Text,

    /// <summary>Paths of image files: featurized with the bundled ImageNet ResNet18.</summary>
    ImagePath,

    /// <summary>Dates or times: orders the rows for a time-ordered split; not a feature.</summary>
    Timestamp,

    /// <summary>A value per row (row numbers, codes): carries no signal that generalizes; left out.</summary>
    Identifier,

    /// <summary>One value (or none) in every row: left out.</summary>
    Constant,

    /// <summary>The label again under another name or code (each value stands for one label value and back): leakage, left out.</summary>
    LabelCopy,

    /// <summary>
    /// On its own, predicts the label almost perfectly (its values each stand for one class, it names the class, or a
    /// threshold on it separates two classes): a column filled in after the outcome was known (leakage), left out
    /// unless the caller keeps it.
    /// </summary>
    LabelPredictor,

    /// <summary>A type the workflow cannot prepare (e.g. a variable-length vector): left out.</summary>
    Unsupported,
}
