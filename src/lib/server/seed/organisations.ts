/** The two demo councils, their services and teams (codes per docs/interfaces.md "Codes"). */
export const demoOrganisations = [
	{
		code: 'borough',
		name: 'Brackenford Borough Council',
		services: [
			{
				code: 'electoral',
				name: 'Electoral Services',
				teams: [
					{ code: 'es-registration', name: 'Registration and Canvass' },
					{ code: 'es-absent-voting', name: 'Absent Voting' }
				]
			},
			{
				code: 'democratic',
				name: 'Democratic Services',
				teams: [
					{ code: 'ds-committees', name: 'Committee Services' },
					{ code: 'ds-information', name: 'Information Governance' }
				]
			},
			{
				code: 'customer',
				name: 'Customer Service Centre',
				teams: [{ code: 'csc-enquiries', name: 'Customer Service Centre' }]
			}
		],
		queues: [],
		closures: { reason: 'Council offices closed between Christmas and New Year' }
	},
	{
		code: 'county',
		name: 'Lindenshire County Council',
		services: [
			{
				code: 'customer',
				name: 'Customer Services',
				teams: [
					{ code: 'cc-contact-centre', name: 'Contact Centre' },
					{ code: 'cc-correspondence', name: 'Correspondence' },
					{ code: 'cc-complaints', name: 'Complaints and Feedback' },
					{ code: 'cc-information', name: 'Information Governance' }
				]
			}
		],
		/** The contact centre's telephony queue: its calls are the county's customer service calls. */
		queues: [{ queue: 'customer-services', service: 'customer', team: 'cc-contact-centre' }],
		closures: { reason: 'Council offices closed between Christmas and New Year' }
	}
] as const;

export type OrganisationCode = (typeof demoOrganisations)[number]['code'];
