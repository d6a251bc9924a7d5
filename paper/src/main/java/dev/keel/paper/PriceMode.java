package dev.keel.paper;

/** How prices move: not at all, or a seeded random walk (see {@link PaperConfig#volatility()}). */
public enum PriceMode {
    /** Prices change only through {@link PaperExchange#setPrice}. */
    FIXED,
    /** Every {@link PaperConfig#priceStep()} each mid moves by a uniform draw in ±volatility, seeded. */
    RANDOM_WALK
}
