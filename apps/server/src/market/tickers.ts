/** One fictional listed company of the simulated market and the parameters of its price process. */
export interface SimulatedTicker {
  symbol: string;
  name: string;
  sector: string;
  /** Expected annual growth rate of the price. */
  drift: number;
  /** Long-run annualised volatility of daily returns. */
  volatility: number;
  /** Sensitivity to the common market factor. */
  beta: number;
  /** Close on the day before the first bar. */
  startPrice: number;
  /** Typical shares traded per day. */
  averageVolume: number;
}

const t = (
  symbol: string,
  name: string,
  sector: string,
  drift: number,
  volatility: number,
  beta: number,
  startPrice: number,
  averageVolume: number,
): SimulatedTicker => ({ symbol, name, sector, drift, volatility, beta, startPrice, averageVolume });

/** Invented companies only: any likeness to a listed name is accidental. Drifts differ so some lose money. */
export const SIMULATED_TICKERS: readonly SimulatedTicker[] = [
  t('ZNTH', 'Zenith Lattice Systems', 'Technology', 0.16, 0.38, 1.35, 142, 9_000_000),
  t('QLLX', 'Quillix Software', 'Technology', 0.11, 0.33, 1.2, 88, 4_500_000),
  t('VRDX', 'Vardex Semiconductors', 'Technology', 0.07, 0.45, 1.5, 61, 12_000_000),
  t('HLVX', 'Helvex Therapeutics', 'Healthcare', 0.05, 0.42, 0.8, 37, 3_000_000),
  t('MDRQ', 'Medriq Health Networks', 'Healthcare', 0.08, 0.24, 0.85, 121, 2_200_000),
  t('BLSM', 'Balsam Biologics', 'Healthcare', -0.03, 0.5, 0.9, 24, 5_500_000),
  t('FRNB', 'Fernbank Financial', 'Financials', 0.07, 0.26, 1.15, 54, 7_000_000),
  t('LDGR', 'Ledgerwick Capital', 'Financials', 0.09, 0.3, 1.3, 203, 1_800_000),
  t('ORBF', 'Orbfield Mutual Insurance', 'Financials', 0.05, 0.2, 0.9, 76, 1_200_000),
  t('PTRX', 'Petraxis Energy', 'Energy', 0.03, 0.36, 1.0, 49, 8_000_000),
  t('SLRW', 'Solarwynd Renewables', 'Energy', 0.1, 0.48, 1.25, 18, 6_500_000),
  t('GSPR', 'Gasparo Midstream', 'Energy', 0.02, 0.27, 0.8, 33, 2_500_000),
  t('KSTL', 'Kestrelle Motors', 'Consumer Discretionary', 0.06, 0.4, 1.4, 67, 9_500_000),
  t('BRMB', 'Brambleway Retail', 'Consumer Discretionary', 0.04, 0.3, 1.1, 45, 3_800_000),
  t('TRVQ', 'Trovique Apparel', 'Consumer Discretionary', -0.02, 0.34, 1.05, 29, 2_100_000),
  t('GRNQ', 'Granquist Foods', 'Consumer Staples', 0.05, 0.17, 0.55, 58, 2_600_000),
  t('PLMW', 'Palmwood Beverages', 'Consumer Staples', 0.06, 0.19, 0.6, 96, 3_100_000),
  t('HRTH', 'Hearthly Household Goods', 'Consumer Staples', 0.04, 0.16, 0.5, 132, 1_500_000),
  t('IRNV', 'Ironvale Industries', 'Industrials', 0.07, 0.25, 1.05, 114, 2_000_000),
  t('AXLW', 'Axlewright Logistics', 'Industrials', 0.05, 0.28, 1.1, 72, 2_700_000),
  t('FRGX', 'Forgex Aerospace', 'Industrials', 0.08, 0.31, 1.15, 187, 1_400_000),
  t('VLTQ', 'Voltique Power', 'Utilities', 0.04, 0.16, 0.45, 63, 2_300_000),
  t('AQWL', 'Aquawell Water Works', 'Utilities', 0.05, 0.15, 0.4, 41, 1_100_000),
  t('GRDN', 'Gridden Electric', 'Utilities', 0.03, 0.18, 0.5, 27, 1_900_000),
  t('CPRQ', 'Copperquay Mining', 'Materials', 0.04, 0.37, 1.1, 39, 4_200_000),
  t('CLYX', 'Claymax Chemicals', 'Materials', 0.05, 0.27, 0.95, 84, 1_600_000),
  t('TMBR', 'Timberock Materials', 'Materials', 0.03, 0.29, 0.9, 52, 1_300_000),
  t('ECHX', 'Echolux Media', 'Communication Services', 0.09, 0.35, 1.15, 97, 5_200_000),
  t('WVNT', 'Wavent Telecom', 'Communication Services', 0.02, 0.2, 0.7, 35, 6_100_000),
  t('BRKW', 'Brickwell Property Trust', 'Real Estate', 0.04, 0.22, 0.8, 46, 1_700_000),
];
