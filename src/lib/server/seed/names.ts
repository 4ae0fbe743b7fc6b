import type { Random } from './random.ts';

// Invented people: common British first names and surnames combined at random.
const firstNames = [
	'Amelia', 'Oliver', 'Isla', 'George', 'Ava', 'Noah', 'Mia', 'Arthur', 'Ivy', 'Leo', 'Freya', 'Harry',
	'Grace', 'Oscar', 'Lily', 'Archie', 'Florence', 'Jack', 'Evie', 'Henry', 'Rosie', 'Theo', 'Sophia',
	'Alfie', 'Poppy', 'Charlie', 'Elsie', 'Thomas', 'Ruby', 'Mohammed', 'Aisha', 'Priya', 'Arjun', 'Zara',
	'Dylan', 'Megan', 'Rhys', 'Niamh', 'Callum', 'Eilidh', 'Kwame', 'Adaeze', 'Tomasz', 'Agnieszka',
	'Margaret', 'David', 'Susan', 'Peter', 'Janet', 'Graham', 'Pauline', 'Keith', 'Linda', 'Colin'
];
const surnames = [
	'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson',
	'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Thomas', 'Clarke',
	'Jackson', 'Wood', 'Harris', 'Edwards', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Hughes',
	'Moore', 'Clark', 'King', 'Harrison', 'Lewis', 'Baker', 'Lee', 'Allen', 'Morris', 'Khan', 'Scott',
	'Watson', 'Davis', 'Parker', 'James', 'Bennett', 'Young', 'Phillips', 'Richardson', 'Mitchell',
	'Begum', 'Nowak', 'Okafor', 'Mensah', 'Campbell', 'Kaur', 'Singh', 'Ahmed', 'Murphy', 'Kelly'
];

export function personName(random: Random): string {
	return `${random.pick(firstNames)} ${random.pick(surnames)}`;
}
