/**
 * Official UK bank holidays (GOV.UK https://www.gov.uk/bank-holidays.json), as data.
 *
 * Holiday rules from date-holidays have had UK errors (docs/rules.md "Bank holiday data"), so for the
 * years GOV.UK lists, this list is authoritative and date-holidays is not consulted; outside
 * them date-holidays is used with the corrections below. Where they disagree, the official list
 * wins.
 *
 * 2024–2028: copied from the GOV.UK JSON (tests/fixtures/govuk-bank-holidays-2024-2028.json).
 * 2015–2023: the GOV.UK list as published (cross-checked against date-holidays 3.37: same dates;
 * date-holidays' Scottish New Year names in 2017/2022/2023 and the one-off names differ).
 *
 * Divisions: E = England and Wales, S = Scotland, N = Northern Ireland.
 */

export type Division = 'E' | 'S' | 'N';

/** [date, divisions, GOV.UK title]; weekday dates only, as GOV.UK lists them. */
export type OfficialHoliday = readonly [date: string, divisions: string, title: string];

/** Bump when this list changes (a proclaimed holiday): open contacts are re-scored on a new version. */
export const HOLIDAY_DATA_VERSION = 'govuk-2015-2028.1';

export const OFFICIAL_FIRST_YEAR = 2015;
export const OFFICIAL_LAST_YEAR = 2028;

export const OFFICIAL_BANK_HOLIDAYS: readonly OfficialHoliday[] = [
	// 2015
	['2015-01-01', 'ESN', 'New Year’s Day'],
	['2015-01-02', 'S', '2nd January'],
	['2015-03-17', 'N', 'St Patrick’s Day'],
	['2015-04-03', 'ESN', 'Good Friday'],
	['2015-04-06', 'EN', 'Easter Monday'],
	['2015-05-04', 'ESN', 'Early May bank holiday'],
	['2015-05-25', 'ESN', 'Spring bank holiday'],
	['2015-07-13', 'N', 'Battle of the Boyne (Orangemen’s Day) (substitute day)'],
	['2015-08-03', 'S', 'Summer bank holiday'],
	['2015-08-31', 'EN', 'Summer bank holiday'],
	['2015-11-30', 'S', 'St Andrew’s Day'],
	['2015-12-25', 'ESN', 'Christmas Day'],
	['2015-12-28', 'ESN', 'Boxing Day (substitute day)'],
	// 2016
	['2016-01-01', 'ESN', 'New Year’s Day'],
	['2016-01-04', 'S', '2nd January (substitute day)'],
	['2016-03-17', 'N', 'St Patrick’s Day'],
	['2016-03-25', 'ESN', 'Good Friday'],
	['2016-03-28', 'EN', 'Easter Monday'],
	['2016-05-02', 'ESN', 'Early May bank holiday'],
	['2016-05-30', 'ESN', 'Spring bank holiday'],
	['2016-07-12', 'N', 'Battle of the Boyne (Orangemen’s Day)'],
	['2016-08-01', 'S', 'Summer bank holiday'],
	['2016-08-29', 'EN', 'Summer bank holiday'],
	['2016-11-30', 'S', 'St Andrew’s Day'],
	['2016-12-26', 'ESN', 'Boxing Day'],
	['2016-12-27', 'ESN', 'Christmas Day (substitute day)'],
	// 2017
	['2017-01-02', 'ESN', 'New Year’s Day (substitute day)'],
	['2017-01-03', 'S', '2nd January (substitute day)'],
	['2017-03-17', 'N', 'St Patrick’s Day'],
	['2017-04-14', 'ESN', 'Good Friday'],
	['2017-04-17', 'EN', 'Easter Monday'],
	['2017-05-01', 'ESN', 'Early May bank holiday'],
	['2017-05-29', 'ESN', 'Spring bank holiday'],
	['2017-07-12', 'N', 'Battle of the Boyne (Orangemen’s Day)'],
	['2017-08-07', 'S', 'Summer bank holiday'],
	['2017-08-28', 'EN', 'Summer bank holiday'],
	['2017-11-30', 'S', 'St Andrew’s Day'],
	['2017-12-25', 'ESN', 'Christmas Day'],
	['2017-12-26', 'ESN', 'Boxing Day'],
	// 2018
	['2018-01-01', 'ESN', 'New Year’s Day'],
	['2018-01-02', 'S', '2nd January'],
	['2018-03-19', 'N', 'St Patrick’s Day (substitute day)'],
	['2018-03-30', 'ESN', 'Good Friday'],
	['2018-04-02', 'EN', 'Easter Monday'],
	['2018-05-07', 'ESN', 'Early May bank holiday'],
	['2018-05-28', 'ESN', 'Spring bank holiday'],
	['2018-07-12', 'N', 'Battle of the Boyne (Orangemen’s Day)'],
	['2018-08-06', 'S', 'Summer bank holiday'],
	['2018-08-27', 'EN', 'Summer bank holiday'],
	['2018-11-30', 'S', 'St Andrew’s Day'],
	['2018-12-25', 'ESN', 'Christmas Day'],
	['2018-12-26', 'ESN', 'Boxing Day'],
	// 2019
	['2019-01-01', 'ESN', 'New Year’s Day'],
	['2019-01-02', 'S', '2nd January'],
	['2019-03-18', 'N', 'St Patrick’s Day (substitute day)'],
	['2019-04-19', 'ESN', 'Good Friday'],
	['2019-04-22', 'EN', 'Easter Monday'],
	['2019-05-06', 'ESN', 'Early May bank holiday'],
	['2019-05-27', 'ESN', 'Spring bank holiday'],
	['2019-07-12', 'N', 'Battle of the Boyne (Orangemen’s Day)'],
	['2019-08-05', 'S', 'Summer bank holiday'],
	['2019-08-26', 'EN', 'Summer bank holiday'],
	['2019-12-02', 'S', 'St Andrew’s Day (substitute day)'],
	['2019-12-25', 'ESN', 'Christmas Day'],
	['2019-12-26', 'ESN', 'Boxing Day'],
	// 2020
	['2020-01-01', 'ESN', 'New Year’s Day'],
	['2020-01-02', 'S', '2nd January'],
	['2020-03-17', 'N', 'St Patrick’s Day'],
	['2020-04-10', 'ESN', 'Good Friday'],
	['2020-04-13', 'EN', 'Easter Monday'],
	['2020-05-08', 'ESN', 'Early May bank holiday (VE day)'],
	['2020-05-25', 'ESN', 'Spring bank holiday'],
	['2020-07-13', 'N', 'Battle of the Boyne (Orangemen’s Day) (substitute day)'],
	['2020-08-03', 'S', 'Summer bank holiday'],
	['2020-08-31', 'EN', 'Summer bank holiday'],
	['2020-11-30', 'S', 'St Andrew’s Day'],
	['2020-12-25', 'ESN', 'Christmas Day'],
	['2020-12-28', 'ESN', 'Boxing Day (substitute day)'],
	// 2021
	['2021-01-01', 'ESN', 'New Year’s Day'],
	['2021-01-04', 'S', '2nd January (substitute day)'],
	['2021-03-17', 'N', 'St Patrick’s Day'],
	['2021-04-02', 'ESN', 'Good Friday'],
	['2021-04-05', 'EN', 'Easter Monday'],
	['2021-05-03', 'ESN', 'Early May bank holiday'],
	['2021-05-31', 'ESN', 'Spring bank holiday'],
	['2021-07-12', 'N', 'Battle of the Boyne (Orangemen’s Day)'],
	['2021-08-02', 'S', 'Summer bank holiday'],
	['2021-08-30', 'EN', 'Summer bank holiday'],
	['2021-11-30', 'S', 'St Andrew’s Day'],
	['2021-12-27', 'ESN', 'Christmas Day (substitute day)'],
	['2021-12-28', 'ESN', 'Boxing Day (substitute day)'],
	// 2022
	['2022-01-03', 'ESN', 'New Year’s Day (substitute day)'],
	['2022-01-04', 'S', '2nd January (substitute day)'],
	['2022-03-17', 'N', 'St Patrick’s Day'],
	['2022-04-15', 'ESN', 'Good Friday'],
	['2022-04-18', 'EN', 'Easter Monday'],
	['2022-05-02', 'ESN', 'Early May bank holiday'],
	['2022-06-02', 'ESN', 'Spring bank holiday'],
	['2022-06-03', 'ESN', 'Platinum Jubilee bank holiday'],
	['2022-07-12', 'N', 'Battle of the Boyne (Orangemen’s Day)'],
	['2022-08-01', 'S', 'Summer bank holiday'],
	['2022-08-29', 'EN', 'Summer bank holiday'],
	['2022-09-19', 'ESN', 'Bank Holiday for the State Funeral of Queen Elizabeth II'],
	['2022-11-30', 'S', 'St Andrew’s Day'],
	['2022-12-26', 'ESN', 'Boxing Day'],
	['2022-12-27', 'ESN', 'Christmas Day (substitute day)'],
	// 2023
	['2023-01-02', 'ESN', 'New Year’s Day (substitute day)'],
	['2023-01-03', 'S', '2nd January (substitute day)'],
	['2023-03-17', 'N', 'St Patrick’s Day'],
	['2023-04-07', 'ESN', 'Good Friday'],
	['2023-04-10', 'EN', 'Easter Monday'],
	['2023-05-01', 'ESN', 'Early May bank holiday'],
	['2023-05-08', 'ESN', 'Bank holiday for the coronation of King Charles III'],
	['2023-05-29', 'ESN', 'Spring bank holiday'],
	['2023-07-12', 'N', 'Battle of the Boyne (Orangemen’s Day)'],
	['2023-08-07', 'S', 'Summer bank holiday'],
	['2023-08-28', 'EN', 'Summer bank holiday'],
	['2023-11-30', 'S', 'St Andrew’s Day'],
	['2023-12-25', 'ESN', 'Christmas Day'],
	['2023-12-26', 'ESN', 'Boxing Day'],
	// 2024
	['2024-01-01', 'ESN', 'New Year’s Day'],
	['2024-01-02', 'S', '2nd January'],
	['2024-03-18', 'N', 'St Patrick’s Day (substitute day)'],
	['2024-03-29', 'ESN', 'Good Friday'],
	['2024-04-01', 'EN', 'Easter Monday'],
	['2024-05-06', 'ESN', 'Early May bank holiday'],
	['2024-05-27', 'ESN', 'Spring bank holiday'],
	['2024-07-12', 'N', 'Battle of the Boyne (Orangemen’s Day)'],
	['2024-08-05', 'S', 'Summer bank holiday'],
	['2024-08-26', 'EN', 'Summer bank holiday'],
	['2024-12-02', 'S', 'St Andrew’s Day (substitute day)'],
	['2024-12-25', 'ESN', 'Christmas Day'],
	['2024-12-26', 'ESN', 'Boxing Day'],
	// 2025
	['2025-01-01', 'ESN', 'New Year’s Day'],
	['2025-01-02', 'S', '2nd January'],
	['2025-03-17', 'N', 'St Patrick’s Day'],
	['2025-04-18', 'ESN', 'Good Friday'],
	['2025-04-21', 'EN', 'Easter Monday'],
	['2025-05-05', 'ESN', 'Early May bank holiday'],
	['2025-05-26', 'ESN', 'Spring bank holiday'],
	['2025-07-14', 'N', 'Battle of the Boyne (Orangemen’s Day) (substitute day)'],
	['2025-08-04', 'S', 'Summer bank holiday'],
	['2025-08-25', 'EN', 'Summer bank holiday'],
	['2025-12-01', 'S', 'St Andrew’s Day (substitute day)'],
	['2025-12-25', 'ESN', 'Christmas Day'],
	['2025-12-26', 'ESN', 'Boxing Day'],
	// 2026
	['2026-01-01', 'ESN', 'New Year’s Day'],
	['2026-01-02', 'S', '2nd January'],
	['2026-03-17', 'N', 'St Patrick’s Day'],
	['2026-04-03', 'ESN', 'Good Friday'],
	['2026-04-06', 'EN', 'Easter Monday'],
	['2026-05-04', 'ESN', 'Early May bank holiday'],
	['2026-05-25', 'ESN', 'Spring bank holiday'],
	['2026-07-13', 'N', 'Battle of the Boyne (Orangemen’s Day) (substitute day)'],
	['2026-08-03', 'S', 'Summer bank holiday'],
	['2026-08-31', 'EN', 'Summer bank holiday'],
	['2026-11-30', 'S', 'St Andrew’s Day'],
	['2026-12-25', 'ESN', 'Christmas Day'],
	['2026-12-28', 'ESN', 'Boxing Day (substitute day)'],
	// 2027
	['2027-01-01', 'ESN', 'New Year’s Day'],
	['2027-01-04', 'S', '2nd January (substitute day)'],
	['2027-03-17', 'N', 'St Patrick’s Day'],
	['2027-03-26', 'ESN', 'Good Friday'],
	['2027-03-29', 'EN', 'Easter Monday'],
	['2027-05-03', 'ESN', 'Early May bank holiday'],
	['2027-05-31', 'ESN', 'Spring bank holiday'],
	['2027-07-12', 'N', 'Battle of the Boyne (Orangemen’s Day)'],
	['2027-08-02', 'S', 'Summer bank holiday'],
	['2027-08-30', 'EN', 'Summer bank holiday'],
	['2027-11-30', 'S', 'St Andrew’s Day'],
	['2027-12-27', 'ESN', 'Christmas Day (substitute day)'],
	['2027-12-28', 'ESN', 'Boxing Day (substitute day)'],
	// 2028
	['2028-01-03', 'ESN', 'New Year’s Day (substitute day)'],
	['2028-01-04', 'S', '2nd January (substitute day)'],
	['2028-03-17', 'N', 'St Patrick’s Day'],
	['2028-04-14', 'ESN', 'Good Friday'],
	['2028-04-17', 'EN', 'Easter Monday'],
	['2028-05-01', 'ESN', 'Early May bank holiday'],
	['2028-05-29', 'ESN', 'Spring bank holiday'],
	['2028-07-12', 'N', 'Battle of the Boyne (Orangemen’s Day)'],
	['2028-08-07', 'S', 'Summer bank holiday'],
	['2028-08-28', 'EN', 'Summer bank holiday'],
	['2028-11-30', 'S', 'St Andrew’s Day'],
	['2028-12-25', 'ESN', 'Christmas Day'],
	['2028-12-26', 'ESN', 'Boxing Day'],
];

/**
 * Before OFFICIAL_FIRST_YEAR, date-holidays 3.37 lacks these proclaimed one-offs and moved days
 * (checked against the GOV.UK/DirectGov lists of the time); every UK nation had them.
 */
export const PRE_OFFICIAL_ADDITIONS: readonly OfficialHoliday[] = [
	['2002-06-03', 'ESN', 'Spring bank holiday'], // moved from 27 May for the Golden Jubilee
	['2002-06-04', 'ESN', 'Golden Jubilee bank holiday'],
	['2011-04-29', 'ESN', 'Royal wedding bank holiday'],
	['2012-06-04', 'ESN', 'Spring bank holiday'] // moved from 28 May for the Diamond Jubilee
];

/** Dates date-holidays 3.37 gives that were not bank holidays (the days moved above). */
export const PRE_OFFICIAL_REMOVALS: readonly string[] = ['2002-05-27', '2012-05-28'];
