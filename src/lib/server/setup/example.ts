/**
 * `yardstick setup --example`: a commented set-up file for a district council, to copy and edit.
 * A test applies it to an empty database, so it always works as printed.
 */
export const EXAMPLE_SETUP = `# Yardstick set-up file for a district council.
# Apply it with:   npx yardstick setup council.yaml --dry-run   (prints the plan, changes nothing)
#                  npx yardstick setup council.yaml             (applies it; running it again changes nothing)
# Keys not listed here are refused. Dates are YYYY-MM-DD.

organisations:
  - code: harrowfield                     # stable code: imports and filters use it; never changes
    name: Harrowfield District Council    # names may change later
    settings:
      # A FOI request received on a Saturday, Sunday or bank holiday counts from the next working day.
      nonWorkingStartIsNextWorkingDay: false
      # A call that visited several queues (an overflow, a transfer) is the first queue's, waiting from
      # its first ENTERQUEUE to the answer; answering-queue: the answering queue's, with the wait there.
      phoneWaitFrom: first-queue

    services:                             # each service and its teams (team codes are unique in the council)
      - code: customer-services
        name: Customer Services
        teams:
          - { code: contact-centre, name: Contact Centre }
          - { code: correspondence, name: Correspondence }
      - code: electoral-services
        name: Electoral Services
        teams:
          - { code: registration, name: Registration and Canvass }
      - code: democratic-services
        name: Democratic Services

    contactTypes:                         # your own contact types, beside the built-in ones
      - { code: visit, name: Visit to reception }

    standards:
      # Catalogue standards, by code (the README's contact-log table lists them). Optional: services (default every
      # service), contactTypes, from (default 2020-04-01, or the day a statutory duty began), target (%), tolerance (amber, points below target).
      - adopt: phone.answer
        services: [customer-services]
      - adopt: email.reply
        services: [customer-services, democratic-services]
        target: 90
      - adopt: es.email                   # Electoral Services reply to email within 4 working days
        services: [electoral-services]
      - adopt: letter.reply
      - adopt: complaint.ack
      - adopt: foi.response
      - adopt: sar.statutory
      - adopt: dp.complaint-ack           # data protection complaints acknowledged in 30 days: from 19 June 2026 (DPA 2018 s.164A)
      - adopt: es.registration
        services: [electoral-services]
      # Your own standard: any rule kind the engine has, written as the catalogue writes it:
      #   { kind: seconds, seconds: 900 }            { kind: working-days, days: 5 }
      #   { kind: calendar-days, days: 30 }          { kind: calendar-months, months: 1 }
      #   { kind: same-or-next-working-day }         { kind: hours-or-next-working-day, hours: 24 }
      #   { kind: clear-working-days-before, days: 5 }
      - code: harrowfield.visit-wait
        name: Visitors seen within 15 minutes
        contactTypes: [visit]
        services: [customer-services]
        rule: { kind: seconds, seconds: 900 }
        target: 85
      # A standard that no longer applies from a date (history keeps it):
      # - { retire: letter.reply, from: 2027-04-01 }

    closures: [2026-12-29..2026-12-31]    # council closure days: a day, or a range

    queues:                               # telephony queue name → where its calls belong
      harrowfield-main: { service: customer-services, team: contact-centre }

    mappings:
      crm:                                # used as: npx yardstick import export.csv --mapping crm
        columns:                          # the export's column → the contact log's column
          Case Ref: reference
          Date Logged: received
          First Reply: responded
          Channel: type
          Team: team
        fixed: { service: customer-services }     # for columns the export lacks (organisation: this one)
        values:                           # the export's values → ours
          type: { E-mail: email, Web form: email, Letter: letter, Phone message: message }
          team: { Corr: correspondence }
        dates: dd/mm/yyyy                 # how the export writes dates: iso, dd/mm/yyyy or excel

users:                                    # each gets a one-time password, printed once, changed at first sign-in
  - { email: sam.lead@harrowfield.example, name: Sam Lead, role: team-lead, teams: [harrowfield/correspondence] }
  - { email: pat.manager@harrowfield.example, name: Pat Manager, role: manager }
`;
